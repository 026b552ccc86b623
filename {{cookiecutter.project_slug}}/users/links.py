"""The links the account emails carry: `<FRONTEND_URL>/<page>?uid=<uid>&token=<token>`,
so that the app's own front end owns each page and sends uid and token to the API.

Each kind of link has tokens of its own: Django's password reset tokens (an HMAC, with
SECRET_KEY, of the user's state and the time the link was made), with a salt of its own,
so that no link stands in for another, the state that spends it once used, and a
lifetime of its own.
https://docs.djangoproject.com/en/6.1/topics/auth/default/#django.contrib.auth.views.PasswordResetView
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.tokens import (
    PasswordResetTokenGenerator,
    default_token_generator,
)
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import (
    base36_to_int,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)

from .models import User

# The largest primary key a BigAutoField holds: a uid beyond it is refused unread.
LARGEST_PK = 2**63 - 1


class LinkTokens(PasswordResetTokenGenerator):
    """Django's token generator with the lifetime in the setting named `lifetime`."""

    lifetime = "PASSWORD_RESET_TIMEOUT"

    def check_token(self, user: User | None, token: str | None) -> bool:
        # Django's own check, with this link's lifetime where Django's reads
        # PASSWORD_RESET_TIMEOUT. Its helpers are private: test_links.py checks them.
        if not (user and token):
            return False
        try:
            made = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - made > getattr(settings, self.lifetime):
            return False
        return any(
            constant_time_compare(
                self._make_token_with_timestamp(user, made, secret), token
            )
            for secret in [self.secret, *self.secret_fallbacks]
        )


class EmailVerificationTokens(LinkTokens):
    """Spent once the address is verified."""

    key_salt = "users.links.EmailVerificationTokens"
    lifetime = "EMAIL_VERIFICATION_TIMEOUT"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.email_verified}"


class EmailChangeTokens(LinkTokens):
    """Spent once the address changes, and by a later request for another address."""

    key_salt = "users.links.EmailChangeTokens"
    lifetime = "EMAIL_CHANGE_TIMEOUT"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.pending_email}"


@dataclass(frozen=True)
class Link:
    page: str
    tokens: PasswordResetTokenGenerator

    def url(self, user: User) -> str:
        query = urlencode(
            {
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": self.tokens.make_token(user),
            }
        )
        return f"{settings.FRONTEND_URL.rstrip('/')}/{self.page}?{query}"

    @property
    def lifetime(self) -> int:
        """Seconds the link works: its tokens' setting, or Django's own for a reset."""
        setting = getattr(self.tokens, "lifetime", "PASSWORD_RESET_TIMEOUT")
        lifetime: int = getattr(settings, setting)
        return lifetime

    def user(self, uid: str, token: str) -> User | None:
        """The user this link was made for, while it is good: not used, not expired,
        and the user not deactivated since (no email flow ever reactivates one)."""
        try:
            pk = int(urlsafe_base64_decode(uid))
        except ValueError:
            return None
        if not 0 < pk <= LARGEST_PK:
            return None
        user = User.objects.filter(pk=pk, is_active=True).first()
        return user if self.tokens.check_token(user, token) else None


VERIFY_EMAIL = Link("verify-email", EmailVerificationTokens())
# Django's own reset tokens, whose lifetime is PASSWORD_RESET_TIMEOUT: spent once the
# password changes (or the user logs in).
RESET_PASSWORD = Link("reset-password", default_token_generator)
CONFIRM_EMAIL = Link("confirm-email", EmailChangeTokens())
