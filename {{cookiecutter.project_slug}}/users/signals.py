from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import tokens

if TYPE_CHECKING:
    from .models import User


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_auth_token(
    sender: type[User], instance: User, created: bool, raw: bool, **kwargs: Any
) -> None:
    """Give every new user a token.

    Skipped for `loaddata` (raw), whose fixtures bring their own tokens.
    """
    if created and not raw:
        tokens.issue(instance)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def revoke_token_on_password_change(
    sender: type[User],
    instance: User,
    raw: bool,
    update_fields: frozenset[str] | None,
    **kwargs: Any,
) -> None:
    """A new password invalidates the old token at once (OWASP ASVS 5.0, 7.4.3).

    Covers every way Django changes a password: set_password() and save(), the admin,
    `changepassword`. The next login issues a new key.
    """
    if raw or instance._state.adding:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True)
    if stored.first() != instance.password:
        tokens.revoke(instance)
