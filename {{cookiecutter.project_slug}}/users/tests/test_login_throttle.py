from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

User = get_user_model()

pytestmark = pytest.mark.django_db

RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
PER_ADDRESS = int(RATES["login"].split("/")[0])
PER_NAME = int(RATES["login_name"].split("/")[0])


def login(api_client, name, address="203.0.113.7", forwarded_for=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded_for:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return api_client.post(
        reverse("api:obtain-token"),
        {User.USERNAME_FIELD: name, "password": "wrong password"},
        format="json",
        **extra,
    )


def test_failed_logins_per_address_end_in_429(api_client):
    """One address trying many names is stopped after DJANGO_LOGIN_RATE attempts."""
    for i in range(PER_ADDRESS):
        assert login(api_client, f"user{i}@example.com").status_code == 400

    response = login(api_client, "another@example.com")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Request was throttled.")


def test_failed_logins_per_name_end_in_429(api_client):
    """One login name tried from many addresses is stopped after DJANGO_LOGIN_NAME_RATE."""
    for i in range(PER_NAME):
        assert (
            login(
                api_client, "alice@example.com", address=f"198.51.100.{i}"
            ).status_code
            == 400
        )
    assert (
        login(api_client, "Alice@Example.com", address="192.0.2.1").status_code == 429
    )


def test_invented_forwarded_for_does_not_reset_the_count(api_client):
    """A client that invents an X-Forwarded-For of its own each time, with a new name
    each time, is still counted by its real address: the one the proxy adds last
    (NUM_PROXIES: 1), not the ones the client wrote."""
    for i in range(PER_ADDRESS):
        invented = f"10.0.0.{i}, 203.0.113.7"
        login(api_client, f"user{i}@example.com", forwarded_for=invented)
    response = login(
        api_client, "another@example.com", forwarded_for="10.0.1.1, 203.0.113.7"
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_without_the_cache_logins_get_503(api_client, user, password, settings):
    """With the cache the counts live in gone, a login is answered 503, even with the
    right password: it is never let through uncounted, and never a 500."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "no_such_table",
        }
    }
    response = api_client.post(
        reverse("api:obtain-token"),
        {User.USERNAME_FIELD: "alice@example.com", "password": password},
        format="json",
    )
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert int(response["Retry-After"]) > 0
    assert "token" not in response.json()
