"""The rules about tokens, in one place: views, signals, admin, authentication and
commands all call these."""

from __future__ import annotations

import re
import weakref
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, router, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.utils import CursorWrapper

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


class _KeyLookup:
    """`SELECT token JOIN user WHERE key = %s`, compiled once per database connection.

    The ORM would build and compile this query on every request; here it is compiled
    once, and each call only runs it and turns the row into model instances, applying
    the same value converters the ORM would.
    """

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        query = Token.objects.select_related("user").filter(key="").query
        compiler = query.get_compiler(connection=connection)
        self.sql, _params = compiler.as_sql()
        self.converters = compiler.get_converters([col for col, *_ in compiler.select])
        self.compiler = compiler
        self.token_fields = [f.attname for f in Token._meta.concrete_fields]
        self.user_fields = [f.attname for f in get_user_model()._meta.concrete_fields]

    def __call__(self, key: str, cursor: CursorWrapper, alias: str) -> Token | None:
        cursor.execute(self.sql, [key])
        row = cursor.fetchone()
        if row is None:
            return None
        [row] = self.compiler.apply_converters([row], self.converters)
        split = len(self.token_fields)
        token = Token.from_db(alias, self.token_fields, row[:split])
        token.user = get_user_model().from_db(alias, self.user_fields, row[split:])
        return token


_lookups: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _KeyLookup] = (
    weakref.WeakKeyDictionary()
)


def find(key: str) -> Token | None:
    """The token with this key, its user loaded, in one query; None if there is none."""
    if not KEY_FORMAT.fullmatch(key):
        return None
    alias = router.db_for_read(Token)
    connection = connections[alias]
    lookup = _lookups.get(connection)
    if lookup is None:
        lookup = _lookups[connection] = _KeyLookup(connection)
    with connection.cursor() as cursor:
        return lookup(key, cursor, alias)


def backfill(batch_size: int = 1000) -> int:
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
    alias = router.db_for_write(Token)
    connection = connections[alias]
    insert = _insert_token_sql(connection)
    before = Token.objects.count()
    last_pk = 0
    while user_ids := list(users_without_token.filter(pk__gt=last_pk)[:batch_size]):
        created = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = [(Token.generate_key(), pk, created) for pk in user_ids]
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.executemany(insert, rows)
        last_pk = user_ids[-1]
    return Token.objects.count() - before


def _insert_token_sql(connection: BaseDatabaseWrapper) -> str:
    """INSERT of (key, user id, created) that skips users who already have a token.

    Plain rows rather than bulk_create(): no model instance to build, no SQL to compile
    per batch, several times faster for the large backfills this is for.
    """
    quote = connection.ops.quote_name
    # The model's columns, in its field order: key, user, created.
    columns = ", ".join(
        quote(field.column) for field in Token._meta.concrete_fields if field.column
    )
    # Only the model's own table and column names go into the text, quoted; the values
    # are parameters.
    return (
        f"INSERT INTO {quote(Token._meta.db_table)} ({columns}) "  # noqa: S608
        "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
    )
