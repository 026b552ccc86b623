from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from .managers import UserManager


class User(AbstractUser):
    """A user who logs in with their email address; there is no username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # Not Django's UserManager, whose create_user() takes a username, as the stubs expect.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]


class AdminToken(TokenProxy):
    """A token as the admin shows it: named after its user, never by its key, so the
    key stays out of admin pages, messages and the admin's history."""

    class Meta:
        proxy = True
        verbose_name = _("token")
        verbose_name_plural = _("tokens")

    def __str__(self) -> str:
        return _("Token of %(user)s") % {"user": self.user}
