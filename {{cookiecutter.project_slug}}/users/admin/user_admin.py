from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from users.models import User

from .token_actions import revoke_tokens, rotate_tokens


# ModelAdmin is generic only in the stubs: Django's class cannot be subscripted.
@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    """Django's user admin, with actions on the selected users' tokens."""

    actions = (rotate_tokens, revoke_tokens)
