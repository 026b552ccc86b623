"""The rules about tokens, in one place: views, signals, admin, authentication and
commands all call these."""

from __future__ import annotations

import re
import weakref
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import Error, connections, router, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from users.models import User

# Keys are made by Token.generate_key(): 40 hex digits. Anything else cannot match, so it
# is refused without a query (and a NUL byte never reaches PostgreSQL, which rejects it).
KEY_FORMAT = re.compile(r"[0-9a-f]{40}")

# A row as the database driver returns it.
Row = tuple[Any, ...]


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

    The ORM would build and compile this query on every request, and Django's cursor
    would rewrite and wrap it; here it is compiled once and run on the database
    driver's own cursor, and each call only turns the row into model instances,
    applying the same value converters the ORM would.
    """

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        query = Token.objects.select_related("user").filter(key="").query
        compiler = query.get_compiler(connection=connection)
        self.sql, _params = compiler.as_sql()
        self.driver_sql = _driver_sql(connection, self.sql)
        self.converters = compiler.get_converters([col for col, *_ in compiler.select])
        self.compiler = compiler
        self.user_model = get_user_model()
        self.user_relation = Token._meta.get_field("user")
        self.token_fields = [f.attname for f in Token._meta.concrete_fields]
        self.user_fields = [f.attname for f in self.user_model._meta.concrete_fields]

    def __call__(self, key: str, connection: BaseDatabaseWrapper) -> Token | None:
        row = self.fetch(key, connection)
        if row is None:
            return None
        [row] = self.compiler.apply_converters([row], self.converters)
        split = len(self.token_fields)
        alias = connection.alias
        token = Token.from_db(alias, self.token_fields, row[:split])
        user = self.user_model.from_db(alias, self.user_fields, row[split:])
        # Link the two as select_related() does, straight into the relation's caches, so
        # token.user and user.auth_token need no query.
        self.user_relation.set_cached_value(token, user)
        self.user_relation.remote_field.set_cached_value(user, token)
        return token

    def fetch(self, key: str, connection: BaseDatabaseWrapper) -> Row | None:
        """The row for this key, from the driver's cursor.

        Through Django's cursor instead when something watches the queries (DEBUG,
        assertNumQueries, execute_wrapper), so that it sees this one, or when the
        backend's driver takes other SQL.
        """
        if (
            self.driver_sql is None
            or connection.queries_logged
            or connection.execute_wrappers
        ):
            with connection.cursor() as cursor:
                cursor.execute(self.sql, [key])
                return cast(Row | None, cursor.fetchone())
        # With CONN_HEALTH_CHECKS, Django checks a reused connection with a query of its
        # own before the request's first query (`SELECT 1` on PostgreSQL: one more round
        # trip). This query checks it as well: if it fails on a connection not checked
        # yet, the connection is replaced and the query, a read, is run once more.
        # (django-stubs do not declare the health-check attributes.)
        unchecked = (
            connection.health_check_enabled  # type: ignore[attr-defined]
            and not connection.health_check_done  # type: ignore[attr-defined]
            and connection.connection is not None
        )
        try:
            row = self.run(key, connection)
        except Error:
            if not unchecked or connection.in_atomic_block:
                raise
            connection.close()
            row = self.run(key, connection)
        connection.health_check_done = True  # type: ignore[attr-defined]
        return row

    def run(self, key: str, connection: BaseDatabaseWrapper) -> Row | None:
        """The query on the driver's cursor, after the checks Django's cursor makes."""
        connection.ensure_connection()
        connection.validate_thread_sharing()
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            cursor = _driver_cursor(connection)
            try:
                cursor.execute(self.driver_sql, [key])
                return cast(Row | None, cursor.fetchone())
            finally:
                cursor.close()


def _driver_sql(connection: BaseDatabaseWrapper, sql: str) -> str | None:
    """The compiled SQL as the driver takes it, or None for drivers not handled here.

    psycopg takes Django's `%s` placeholders as they are; the sqlite3 module wants `?`,
    which Django's SQLite cursor substitutes with a regular expression on every query.
    """
    if connection.vendor == "postgresql":
        return sql
    if connection.vendor == "sqlite":
        return sql % ("?",)
    return None


def _driver_cursor(connection: BaseDatabaseWrapper) -> Any:
    # PostgreSQL's backend makes the driver cursor with the connection's time zone.
    if connection.vendor == "postgresql":
        return connection.create_cursor()
    return connection.connection.cursor()


_lookups: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _KeyLookup] = (
    weakref.WeakKeyDictionary()
)


def find(key: str) -> Token | None:
    """The token with this key, its user loaded, in one query; None if there is none."""
    if not KEY_FORMAT.fullmatch(key):
        return None
    connection = connections[router.db_for_read(Token)]
    lookup = _lookups.get(connection)
    if lookup is None:
        lookup = _lookups[connection] = _KeyLookup(connection)
    return lookup(key, connection)


# Users per backfill batch: each batch is one INSERT in its own transaction, and on
# SQLite the commits cost most of the time (bench/README.md has the figures).
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
