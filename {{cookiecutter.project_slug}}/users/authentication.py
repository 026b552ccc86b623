from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import tokens
from .throttles import FailedTokenThrottle


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's TokenAuthentication, with its header rules and messages, plus:

    - tokens expire after settings.TOKEN_TTL seconds (0: never);
    - a client that keeps sending bad keys is answered 429 (FailedTokenThrottle);
    - the key is looked up in one precompiled query (tokens.find). There is no cache,
      so a revoked key is refused on the very next request.
    """

    throttle_class = FailedTokenThrottle

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle = self.throttle_class()
            if not throttle.allow_request(request, view=None):
                raise exceptions.Throttled(throttle.wait()) from None
            raise

    def authenticate_credentials(self, key):
        token = tokens.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if tokens.is_expired(token):
            raise exceptions.AuthenticationFailed(_("Token has expired."))
        return (token.user, token)
