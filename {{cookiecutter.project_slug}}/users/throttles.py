"""The throttles on logging in and on refused keys (rates: DEFAULT_THROTTLE_RATES)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from core.throttles import ClientAddressThrottle, SharedCacheThrottle

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class FailedTokenThrottle(ClientAddressThrottle):
    """Refused `Authorization` headers per client address. The authentication class
    asks only after a refusal, so a valid token never waits on the cache."""

    scope = "failed_token"


class LoginThrottle(ClientAddressThrottle):
    """Login attempts per client address."""

    scope = "login"


class LoginNameThrottle(SharedCacheThrottle):
    """Login attempts per submitted login name, whatever address they come from."""

    scope = "login_name"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        data = request.data
        if not isinstance(data, Mapping):
            return None  # Nothing to count: the serializer refuses such a request.
        login = data.get(get_user_model().USERNAME_FIELD) or data.get("username")
        if not isinstance(login, str) or not login:
            return None  # Nothing to count: the serializer refuses such a request.
        digest = hashlib.sha256(login.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}
