from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy


class User(AbstractUser):
    """Django's user, in a model of our own so that fields can be added later.

    https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#using-a-custom-user-model-when-starting-a-project
    """


class AdminToken(TokenProxy):
    """A token as the admin shows it: named after its user, never by its key, so the
    key stays out of admin pages, messages and the admin's history."""

    class Meta:
        proxy = True
        verbose_name = _("token")
        verbose_name_plural = _("tokens")

    def __str__(self) -> str:
        return _("Token of %(user)s") % {"user": self.user}
