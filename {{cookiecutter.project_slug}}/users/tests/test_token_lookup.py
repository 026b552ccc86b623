"""tokens.find() runs a query compiled once (users/key_lookup.py) on Django's cursor:
these check, at the database driver, that a request sends that one statement and
nothing else but Django's check of a kept connection, and that it gives what the ORM
gives."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from psycopg import pq
from rest_framework.authtoken.models import Token

from users import tokens


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
    """Each column's value, by attribute name."""
    columns = [f for f in instance._meta.get_fields() if f.concrete]
    return {f.attname: getattr(instance, f.attname) for f in columns}


@pytest.mark.django_db
@pytest.mark.parametrize("queries_logged", [False, True], ids=["plain", "logged"])
def test_find_gives_what_the_orm_gives(user, queries_logged, django_assert_num_queries):
    """Same values and types as select_related().get(), seen by Django's query log
    (and so by tools that wrap Django's cursor), and token.user and user.auth_token
    linked without another query."""
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
    # Loaded, not new: its user validates without clashing with its own row (the
    # uniqueness checks leave the row an instance was loaded from aside).
    token.user.full_clean()


@pytest.mark.django_db(transaction=True)
def test_token_request_sends_one_statement(api_client, user):
    """A token-authenticated request on a reused connection sends the lookup and
    nothing else, after Django's check that the connection still works
    (CONN_HEALTH_CHECKS: `SELECT 1` on PostgreSQL; SQLite's needs no query)."""
    key = user.auth_token.key
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    api_client.get(reverse("api:example"), **headers)
    # What Django does when the next request starts: the connection is kept, and
    # is to be checked again before it is used.
    close_old_connections()

    with statements_sent() as sent:
        response = api_client.get(reverse("api:example"), **headers)

    assert response.status_code == HTTPStatus.OK
    check = ['"SELECT 1"'] if connection.vendor == "postgresql" else []
    assert sent[:-1] == check, sent
    assert "authtoken_token" in sent[-1]
