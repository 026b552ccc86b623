from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser

from .models import User


class VerifiedEmailBackend(ModelBackend):
    """Django's backend, which turns inactive users away, turning away too an account
    made by sign-up until its address is verified: the same refusal as a wrong password,
    on every login (the API's, the admin's, the browsable API's)."""

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        verified = isinstance(user, User) and user.email_verified
        return verified and super().user_can_authenticate(user)
