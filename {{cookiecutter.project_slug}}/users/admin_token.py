from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy


class AdminToken(TokenProxy):
    """A token as the admin shows it: named after its user, never by its key, so the
    key stays out of admin pages, messages and the admin's history."""

    class Meta:
        proxy = True
        verbose_name = _("token")
        verbose_name_plural = _("tokens")

    def __str__(self) -> str:
        return _("Token of %(user)s") % {"user": self.user}
