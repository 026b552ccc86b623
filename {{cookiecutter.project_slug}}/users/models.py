{%- if cookiecutter.username_type == "email" -%}
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from .fields import LowercaseEmailField
from .managers import UserManager


class User(AbstractUser):
    """A user who logs in with their email address; there is no username.

    Addresses are saved and looked up in lower case (LowercaseEmailField), so
    Alice@Example.com and alice@example.com are the same user.
    """

    username = None  # type: ignore[assignment]
    # unique=True as well as the constraint below: Django's auth checks (auth.E003)
    # want the login field itself unique.
    email = LowercaseEmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # Not Django's UserManager, whose create_user() takes a username, as the stubs expect.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta(AbstractUser.Meta):
        constraints = [
            # Refuses, in the database itself, an address that differs only in case
            # from another, even one written by SQL that bypasses the field.
            models.UniqueConstraint(
                Lower("email"),
                name="users_user_email_lower_unique",
                violation_error_message=_(
                    "A user with this email address already exists."
                ),
            ),
        ]
{%- else -%}
from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy


class User(AbstractUser):
    """Django's user, in a model of our own so that fields can be added later.

    https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#using-a-custom-user-model-when-starting-a-project
    """
{%- endif %}


class AdminToken(TokenProxy):
    """A token as the admin shows it: named after its user, never by its key, so the
    key stays out of admin pages, messages and the admin's history."""

    class Meta:
        proxy = True
        verbose_name = _("token")
        verbose_name_plural = _("tokens")

    def __str__(self) -> str:
        return _("Token of %(user)s") % {"user": self.user}
