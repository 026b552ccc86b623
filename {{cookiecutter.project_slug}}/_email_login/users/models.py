from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from .managers import UserManager


class User(AbstractUser):
    """A user who logs in with their email address; there is no username."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()


class AdminToken(TokenProxy):
    """A token as the admin shows it: named after its user, never by its key, so the
    key stays out of admin pages, messages and the admin's history."""

    class Meta:
        proxy = True
        verbose_name = _("token")
        verbose_name_plural = _("tokens")

    def __str__(self):
        return _("Token of %(user)s") % {"user": self.user}
