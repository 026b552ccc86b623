from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

# Defined apart, the same for every kind of user; imported here so Django registers it.
from .admin_token import AdminToken  # noqa: F401
from .managers import UserManager


class User(AbstractUser):
    """A user who logs in with their email address; there is no username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # Not Django's UserManager, whose create_user() takes a username, as the stubs expect.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]
