"""The rules about tokens, in one place: views, signals, admin, authentication and
commands all call these."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from users import key_lookup

if TYPE_CHECKING:
    from users.models import User

# Keys are made by Token.generate_key(): 40 hex digits. Anything else cannot match, so it
# is refused without a query (and a NUL byte never reaches PostgreSQL, which rejects it).
KEY_FORMAT = re.compile(r"[0-9a-f]{40}")


def lifetime() -> timedelta | None:
    """How long a token stays valid, or None when tokens never expire (TTL 0)."""
    seconds = settings.TOKEN_TTL
    return timedelta(seconds=seconds) if seconds else None


def expires_at(token: Token) -> datetime | None:
    """When the token stops working, or None if it never does."""
    ttl = lifetime()
    return token.created + ttl if ttl else None


def is_expired(token: Token) -> bool:
    expiry = expires_at(token)
    return expiry is not None and expiry <= timezone.now()


def issue(user: User) -> Token:
    """Return the user's valid token: the current one, or a new one if it has expired."""
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        if not created and is_expired(token):
            return rotate(user)
    return token


def revoke(user: User) -> None:
    """Delete the user's token, so its key is refused from the next request on."""
    Token.objects.filter(user=user).delete()


def rotate(user: User) -> Token:
    """Replace the user's token with a new key, valid from now."""
    with transaction.atomic():
        revoke(user)
        return Token.objects.create(user=user)


def find(key: str) -> Token | None:
    """The token with this key, its user loaded, in one query; None if there is none."""
    if not KEY_FORMAT.fullmatch(key):
        return None
    return key_lookup.find(key)


# Users per backfill batch: each batch is one INSERT in its own transaction, and on
# SQLite the commits cost most of the time: 100,000 users took about 5 s in batches of
# 1,000 and 3.7 s in batches of 5,000.
BACKFILL_BATCH_SIZE = 5000


def backfill(batch_size: int = BACKFILL_BATCH_SIZE) -> int:
    """Create a token for every user who has none; return how many were created.

    Walks the users in primary-key order, `batch_size` at a time, one SELECT and one
    INSERT per batch; each batch starts where the last ended, so the cost stays linear.
    Safe to run again or alongside the signal: a user who gained a token meanwhile
    keeps it (the INSERT skips conflicts).
    """
    users_without_token = (
        get_user_model()
        .objects.filter(auth_token__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    before = Token.objects.count()
    last_pk = 0
    while user_ids := list(users_without_token.filter(pk__gt=last_pk)[:batch_size]):
        Token.objects.bulk_create(
            [Token(key=Token.generate_key(), user_id=pk) for pk in user_ids],
            ignore_conflicts=True,
        )
        last_pk = user_ids[-1]
    return Token.objects.count() - before
