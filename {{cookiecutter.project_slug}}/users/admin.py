"""The admin for users and their tokens. A key is never shown whole (only its first
characters), nor written to the admin's history."""

# ModelAdmin is generic only in the stubs: annotations are not evaluated at run time.
from __future__ import annotations

from datetime import datetime

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.admin import TokenAdmin as DRFTokenAdmin
from rest_framework.authtoken.models import Token, TokenProxy

from users import tokens
from users.models import AdminToken, User

admin.site.unregister(TokenProxy)


# On the users' list rather than the tokens': DRF's token admin turns actions off,
# because its rows are keyed by user id while the model's primary key is the key.
@admin.action(
    description=_("Rotate the selected users' tokens"), permissions=["change"]
)
def rotate_tokens(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    rotated = [tokens.rotate(user) for user in queryset]
    message = ngettext(
        "Rotated %(count)d token.", "Rotated %(count)d tokens.", len(rotated)
    )
    modeladmin.message_user(
        request, message % {"count": len(rotated)}, messages.SUCCESS
    )


@admin.action(
    description=_("Revoke the selected users' tokens"), permissions=["change"]
)
def revoke_tokens(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    revoked, _by_model = Token.objects.filter(user__in=queryset).delete()
    message = ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", revoked)
    modeladmin.message_user(request, message % {"count": revoked}, messages.SUCCESS)


# ModelAdmin is generic only in the stubs: Django's class cannot be subscripted.
@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
{%- if cookiecutter.username_type == "email" %}
    """Django's user admin, with the email address in place of the username, and
    actions on the selected users' tokens."""

    actions = (rotate_tokens, revoke_tokens)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "first_name", "last_name", "is_staff")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
{%- else %}
    """Django's user admin, with actions on the selected users' tokens."""

    actions = (rotate_tokens, revoke_tokens)
{%- endif %}


@admin.register(AdminToken)
class TokenAdmin(DRFTokenAdmin):
    """DRF's token admin, made safe to show to staff: users are picked by search, not
    from a list of every user; URLs use the user's id, never the key (DRF's
    TokenProxy). A token's page can delete (revoke) it; the users' list rotates or
    revokes many."""

    list_display = ("user", "key_prefix", "created", "expires")
    list_select_related = ("user",)
    readonly_fields = ("key_prefix", "created", "expires")
    autocomplete_fields = ("user",)
    search_fields = (f"user__{User.USERNAME_FIELD}",)

    def get_fields(
        self, request: HttpRequest, obj: AdminToken | None = None
    ) -> tuple[str, ...]:
        return ("user",) if obj is None else ("user", *self.readonly_fields)

    def has_change_permission(
        self, request: HttpRequest, obj: AdminToken | None = None
    ) -> bool:
        return False

    @admin.display(description=_("Key"))
    def key_prefix(self, token: AdminToken) -> str:
        return f"{token.key[:6]}…"

    @admin.display(description=_("Expires"))
    def expires(self, token: AdminToken) -> datetime | Promise:
        return tokens.expires_at(token) or _("never")
