"""tokens.find() runs its query on the database driver's own cursor, where Django's query
log does not see it: these check, at the driver, that it sends one statement and gives
what the ORM gives, and that a connection the database dropped is replaced."""

import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from psycopg import pq
from rest_framework.authtoken.models import Token

from users import tokens

from .conftest import run_python


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """The SQL statements the driver sends to the database server inside the block."""
    connection.ensure_connection()
    sent: list[str] = []
    if connection.vendor == "sqlite":
        connection.connection.set_trace_callback(sent.append)
        try:
            yield sent
        finally:
            connection.connection.set_trace_callback(None)
        return
    # PostgreSQL: libpq's own trace of the protocol; "F" lines go to the server.
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
        try:
            yield sent
        finally:
            pgconn.untrace()
            trace.seek(0)
            for line in trace:
                direction, _length, message, *text = line.split("\t")
                if direction == "F" and message in ("Query", "Parse"):
                    sent.append("".join(text).strip())


def fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.fields}


@pytest.mark.django_db
@pytest.mark.parametrize("queries_logged", [False, True], ids=["driver", "logged"])
def test_find_gives_what_the_orm_gives(user, queries_logged, django_assert_num_queries):
    """Same values and types as select_related().get(), with or without a query log
    watching (which makes find() use Django's cursor), and token.user and
    user.auth_token linked without another query."""
    key = user.auth_token.key
    expected = Token.objects.select_related("user").get(key=key)

    if queries_logged:
        with CaptureQueriesContext(connection) as captured:
            token = tokens.find(key)
        assert len(captured) == 1
    else:
        token = tokens.find(key)

    assert token is not None
    with django_assert_num_queries(0):
        assert token.user.auth_token is token
    assert fields(token) == fields(expected)
    assert fields(token.user) == fields(expected.user)
    assert [type(value) for value in fields(token.user).values()] == [
        type(value) for value in fields(expected.user).values()
    ]
    assert token.created.tzinfo is not None
    assert token._state.adding is False
    assert token._state.db == "default"


@pytest.mark.django_db(transaction=True)
def test_token_request_sends_one_statement(api_client, user):
    """A token-authenticated request on a reused connection sends the lookup and
    nothing else: no health-check query of its own either."""
    key = user.auth_token.key
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    api_client.get(reverse("api:example"), **headers)
    # What Django does when the next request starts: the connection is kept, and
    # is to be checked again before it is used.
    close_old_connections()

    with statements_sent() as sent:
        response = api_client.get(reverse("api:example"), **headers)

    assert response.status_code == HTTPStatus.OK
    assert len(sent) == 1, sent
    assert "authtoken_token" in sent[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no server that could drop the connection",
)
@pytest.mark.django_db(transaction=True)
def test_dropped_connection_is_replaced(api_client, user):
    """The database ends the worker's connection between two requests (a restart, an
    idle timeout): the next request gets a new connection and its answer, not an
    error, as with Django's own health check."""
    key = user.auth_token.key
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert api_client.get(reverse("api:example"), **headers).status_code == 200
    assert connection.health_check_enabled  # type: ignore[attr-defined]
    backend = connection.connection.info.backend_pid
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        other.close()
    close_old_connections()

    response = api_client.get(reverse("api:example"), **headers)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["id"] == user.pk
    assert connection.connection.info.backend_pid != backend


# Looks a key up six times on one connection, then prints how many of the statements
# PostgreSQL keeps prepared for that connection are the token lookup.
FIND_AND_COUNT_PREPARED = textwrap.dedent("""
    import sys

    import django

    django.setup()
    from django.db import connection

    from users import tokens

    for _ in range(6):
        assert tokens.find(sys.argv[1]) is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        print(sum("authtoken_token" in statement for (statement,) in cursor.fetchall()))
""")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("setting", "prepared"), [("true", "1"), ("false", "0")])
def test_prepared_statements_on_request(user, setting, prepared):
    """With DJANGO_DB_PREPARED_STATEMENTS=true the token lookup stays prepared on the
    connection; by default nothing is prepared."""
    database = connection.settings_dict
    url = "postgres://{}:{}@{}:{}/{}".format(
        *(quote(str(database[part]), safe="") for part in ("USER", "PASSWORD")),
        database["HOST"],
        database["PORT"],
        database["NAME"],
    )
    output = run_python(
        FIND_AND_COUNT_PREPARED,
        user.auth_token.key,
        DATABASE_URL=url,
        DJANGO_DB_PREPARED_STATEMENTS=setting,
    )
    assert output.strip() == prepared
