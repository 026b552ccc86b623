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
{%- else -%}
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy


class User(AbstractUser):
    """Django's user, in a model of our own, with what the account flows need.

    https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#using-a-custom-user-model-when-starting-a-project
    """
{%- endif %}

    # False only for an account made by sign-up, until its link is used: it cannot log
    # in until then. Users made by staff (createsuperuser, the admin, the shell) count
    # as verified.
    email_verified = models.BooleanField(_("email verified"), default=True)
    # The address asked for by change_email, until its link is used.
    pending_email = models.EmailField(_("new email address"), blank=True)
{%- if cookiecutter.username_type == "email" %}

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # Not Django's UserManager, whose create_user() takes a username, as the stubs expect.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]
{%- endif %}

    class Meta(AbstractUser.Meta):
        constraints = [
            # Refuses, in the database itself, an address that differs only in case
            # from another, even one written by SQL that bypasses the model.
            models.UniqueConstraint(
                Lower("email"),
{%- if cookiecutter.username_type == "username" %}
                # Users made by staff may have no address.
                condition=~Q(email=""),
{%- endif %}
                name="users_user_email_lower_unique",
                violation_error_message=_(
                    "A user with this email address already exists."
                ),
            ),
        ]


class AdminToken(TokenProxy):
    """A token as the admin shows it: named after its user, never by its key, so the
    key stays out of admin pages, messages and the admin's history."""

    class Meta:
        proxy = True
        verbose_name = _("token")
        verbose_name_plural = _("tokens")

    def __str__(self) -> str:
        return _("Token of %(user)s") % {"user": self.user}
