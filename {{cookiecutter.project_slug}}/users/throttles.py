"""Throttles, counted in the default cache, which every worker and host shares."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:
    # For annotations only: rest_framework.views imports the settings' authentication
    # classes, and so this module, as it loads.
    from rest_framework.request import Request
    from rest_framework.views import APIView


class ClientAddressThrottle(SimpleRateThrottle):
    """Counts every request it is asked about, per client address (see NUM_PROXIES)."""

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


class FailedTokenThrottle(ClientAddressThrottle):
    """Refused `Authorization` headers per client address. The authentication class
    asks only after a refusal, so a valid token never waits on the cache."""

    scope = "failed_token"


class LoginThrottle(ClientAddressThrottle):
    """Login attempts per client address."""

    scope = "login"


class LoginNameThrottle(SimpleRateThrottle):
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
