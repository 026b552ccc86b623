from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNKNOWN_KEY = "0" * 40
ALLOWED_FAILURES = int(
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["failed_token"].split("/")[0]
)


def example(api_client, key, address="203.0.113.7"):
    return api_client.get(
        reverse("api:example"), HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=address
    )


def test_burst_of_bad_keys_ends_in_429(api_client):
    """After the allowed number of refused keys, the client gets 429 with Retry-After."""
    for _ in range(ALLOWED_FAILURES):
        assert example(api_client, UNKNOWN_KEY).status_code == HTTPStatus.UNAUTHORIZED

    response = example(api_client, UNKNOWN_KEY)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Request was throttled.")


def test_valid_token_is_not_slowed_by_the_throttle(api_client, user):
    """A client over the limit for bad keys is still served with a valid key."""
    for _ in range(ALLOWED_FAILURES + 1):
        example(api_client, UNKNOWN_KEY)
    assert example(api_client, user.auth_token.key).status_code == HTTPStatus.OK


def test_throttle_is_per_client(api_client):
    """Another address is not held back by the first one's failures."""
    for _ in range(ALLOWED_FAILURES + 1):
        example(api_client, UNKNOWN_KEY)
    other = example(api_client, UNKNOWN_KEY, address="198.51.100.9")
    assert other.status_code == HTTPStatus.UNAUTHORIZED


def test_valid_requests_do_not_count(api_client, user):
    """Many valid requests never trip the failed-key throttle."""
    for _ in range(ALLOWED_FAILURES + 5):
        assert example(api_client, user.auth_token.key).status_code == HTTPStatus.OK
    assert example(api_client, UNKNOWN_KEY).status_code == HTTPStatus.UNAUTHORIZED


def test_without_the_cache_valid_keys_are_still_served(api_client, user, settings):
    """With the cache gone, a valid key is answered as usual (the throttle is asked
    only after a refusal), and a refused one gets 503 rather than going uncounted."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "no_such_table",
        }
    }
    assert example(api_client, user.auth_token.key).status_code == HTTPStatus.OK
    refused = example(api_client, UNKNOWN_KEY)
    assert refused.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert int(refused["Retry-After"]) > 0
