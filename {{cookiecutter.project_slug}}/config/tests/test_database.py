"""The database going away: a kept connection it dropped is replaced before a request's
first query (CONN_HEALTH_CHECKS), and a view that cannot reach it answers a JSON 503
with Retry-After, never a 500 (config/middleware.py)."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, close_old_connections, connection
from django.urls import reverse

from users.tests.utils import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

UNAVAILABLE = {"detail": "The service is briefly unavailable; try again shortly."}


def token_request(api_client, user):
    key = user.auth_token.key
    return api_client.get(reverse("api:example"), HTTP_AUTHORIZATION=f"Token {key}")


def login(api_client, user):
    data = {get_user_model().USERNAME_FIELD: user.get_username(), "password": PASSWORD}
    return api_client.post(reverse("api:obtain-token"), data, format="json")


def logout(api_client, user):
    key = user.auth_token.key
    return api_client.post(reverse("api:logout"), HTTP_AUTHORIZATION=f"Token {key}")


REQUESTS = {"token": token_request, "login": login, "logout": logout}
ANSWERS = {"token": HTTPStatus.OK, "login": HTTPStatus.OK, "logout": 204}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no server that could drop the connection",
)
@pytest.mark.parametrize("name", REQUESTS)
def test_a_dropped_connection_is_replaced(api_client, user, name):
    """The database ends the worker's connection between two requests (a restart, a
    failover, an idle timeout): the next request, whatever it is, gets a new
    connection and its answer, not an error."""
    assert token_request(api_client, user).status_code == HTTPStatus.OK
    backend = connection.connection.info.backend_pid
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        other.close()
    close_old_connections()  # what Django does when the next request starts

    response = REQUESTS[name](api_client, user)

    assert response.status_code == ANSWERS[name], response.content[:300]
    assert connection.connection.info.backend_pid != backend


@pytest.mark.parametrize("name", REQUESTS)
def test_an_unreachable_database_gives_a_json_503(
    api_client, user, settings, caplog, name
):
    """Every query fails, as while the database restarts: a JSON 503 that says when
    to retry, and the cause in the logs; the next request is served as usual. The
    throttles count in a cache that still answers, as Redis would (in the database,
    their own 503 answers: core/throttles.py)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert user.auth_token  # loaded now, before the database fails
    refused = OperationalError("Connection refused")
    with mock.patch.object(connection, "create_cursor", side_effect=refused):
        response = REQUESTS[name](api_client, user)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == UNAVAILABLE
    assert int(response["Retry-After"]) > 0
    assert "Database unavailable: Connection refused" in caplog.text
    assert token_request(api_client, user).status_code == HTTPStatus.OK
