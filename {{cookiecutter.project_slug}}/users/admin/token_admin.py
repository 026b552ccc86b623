from datetime import datetime
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.admin import TokenAdmin as DRFTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from users import tokens
from users.admin_token import AdminToken

admin.site.unregister(TokenProxy)


@admin.register(AdminToken)
class TokenAdmin(DRFTokenAdmin):
    """DRF's token admin, made safe to show to staff.

    A key is never shown whole (only its first characters), nor written to the admin's
    history; users are picked by search, not from a list of every user; and staff can
    revoke or rotate tokens. URLs use the user's id, never the key (DRF's TokenProxy).
    """

    list_display = ("user", "key_prefix", "created", "expires")
    list_select_related = ("user",)
    readonly_fields = ("key_prefix", "created", "expires")
    autocomplete_fields = ("user",)
    search_fields = (f"user__{get_user_model().USERNAME_FIELD}",)
    actions = ("rotate", "delete_selected")

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

    @admin.action(description=_("Rotate selected tokens"), permissions=["delete"])
    def rotate(self, request: HttpRequest, queryset: QuerySet[AdminToken]) -> None:
        rotated = [
            tokens.rotate(token.user) for token in queryset.select_related("user")
        ]
        message = ngettext(
            "Rotated %(count)d token.", "Rotated %(count)d tokens.", len(rotated)
        )
        self.message_user(request, message % {"count": len(rotated)}, messages.SUCCESS)

    # Django passes action_location by keyword, so **kwargs forwards it.
    def response_action(  # type: ignore[override]
        self, request: HttpRequest, queryset: QuerySet[AdminToken], **kwargs: Any
    ) -> HttpResponse | None:
        # The checkboxes hold user ids (TokenProxy's pk), while Django filters the
        # selection on the model's real primary key, the token key: translate them.
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        keys = queryset.filter(user__pk__in=selected).values_list("key", flat=True)
        post = request.POST.copy()
        post.setlist(ACTION_CHECKBOX_NAME, list(keys))
        # The stubs type request.POST as Django builds it, immutable; this copy is not.
        request.POST = post  # type: ignore[assignment]
        return super().response_action(request, queryset, **kwargs)
