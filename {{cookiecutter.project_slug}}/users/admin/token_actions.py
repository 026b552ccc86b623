"""Actions on the users' list for their tokens: rotate or revoke the selected users'.

On the users' list rather than the tokens': DRF's token admin turns actions off,
because its rows are keyed by user id while the model's primary key is the key.
"""

# ModelAdmin is generic only in the stubs: annotations are not evaluated at run time.
from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import Token

from users import tokens
from users.models import User


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
