from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import tokens
from .throttles import FailedTokenThrottle

if TYPE_CHECKING:
    from rest_framework.authtoken.models import Token
    from rest_framework.request import Request

    from .models import User


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's TokenAuthentication, with its header rules and messages, plus:

    - tokens expire after settings.TOKEN_TTL seconds (0: never);
    - a client that keeps sending bad keys is answered 429 (FailedTokenThrottle);
    - the key is looked up in one precompiled query (tokens.find). There is no cache,
      so a revoked key is refused on the very next request.
    """

    throttle_class = FailedTokenThrottle

    def authenticate(self, request: Request) -> tuple[User, Token] | None:
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle = self.throttle_class()
            # The throttle counts per client address and never looks at the view.
            if not throttle.allow_request(request, view=None):  # type: ignore[arg-type]
                raise exceptions.Throttled(throttle.wait()) from None
            raise

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        token = tokens.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if tokens.is_expired(token):
            raise exceptions.AuthenticationFailed(_("Token has expired."))
        return (token.user, token)
