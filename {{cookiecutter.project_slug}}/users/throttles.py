"""The throttles on logging in, on refused keys and on the account flows (rates:
DEFAULT_THROTTLE_RATES). A 429 never depends on whether an account exists."""

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


class SubmittedValueThrottle(SharedCacheThrottle):
    """Counts per value submitted in the first of `fields` the body has, whatever address
    it comes from; case and surrounding spaces do not make another value."""

    def fields(self) -> list[str]:
        raise NotImplementedError

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        data = request.data
        if not isinstance(data, Mapping):
            return None  # Nothing to count: the serializer refuses such a request.
        value = next((data[field] for field in self.fields() if data.get(field)), None)
        if not isinstance(value, str):
            return None  # Nothing to count: the serializer refuses such a request.
        digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class LoginNameThrottle(SubmittedValueThrottle):
    """Login attempts per submitted login name."""

    scope = "login_name"

    def fields(self) -> list[str]:
        return [get_user_model().USERNAME_FIELD, "username"]


class AccountEmailThrottle(ClientAddressThrottle):
    """Requests that send an email (sign-up, resend, reset) per client address."""

    scope = "account_email"


class SubmittedEmailThrottle(SubmittedValueThrottle):
    """The same requests per submitted address, so that nobody's inbox can be flooded:
    counted whether or not the address is registered."""

    scope = "account_email_address"

    def fields(self) -> list[str]:
        return ["email"]


class AccountLinkThrottle(ClientAddressThrottle):
    """Uses of the emailed links (verify, confirm a reset or a new address) per client
    address."""

    scope = "account_link"


class PasswordCheckThrottle(SharedCacheThrottle):
    """Requests that check the caller's current password (change it, delete the
    account) per account, so that a token cannot be used to guess the password."""

    scope = "password_check"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
