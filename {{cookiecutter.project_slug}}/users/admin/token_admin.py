from datetime import datetime

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin as DRFTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from users import tokens
from users.models import AdminToken

admin.site.unregister(TokenProxy)


@admin.register(AdminToken)
class TokenAdmin(DRFTokenAdmin):
    """DRF's token admin, made safe to show to staff.

    A key is never shown whole (only its first characters), nor written to the admin's
    history; users are picked by search, not from a list of every user. URLs use the
    user's id, never the key (DRF's TokenProxy). A token's page can delete (revoke) it;
    the users' list rotates or revokes many (token_actions.py).
    """

    list_display = ("user", "key_prefix", "created", "expires")
    list_select_related = ("user",)
    readonly_fields = ("key_prefix", "created", "expires")
    autocomplete_fields = ("user",)
    search_fields = (f"user__{get_user_model().USERNAME_FIELD}",)

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
