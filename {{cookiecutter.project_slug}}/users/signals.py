from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import tokens


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_auth_token(sender, instance, created, raw, **kwargs):
    """Give every new user a token.

    Skipped for `loaddata` (raw), whose fixtures bring their own tokens.
    """
    if created and not raw:
        tokens.issue(instance)
