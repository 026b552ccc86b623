"""The health probes (config/probes.py): over plain HTTP, with any Host, before every
other rule, and only on their two paths."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

FOREIGN_HOST = {"HTTP_HOST": "10.1.2.3:8000"}  # a pod's address, not in ALLOWED_HOSTS


@pytest.fixture
def production_rules(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["api.example.com"]


def test_liveness(production_rules, client):
    response = client.get("/healthz", **FOREIGN_HOST)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_readiness_checks_the_database_and_the_cache(production_rules, client):
    response = client.get("/readyz", **FOREIGN_HOST)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
    }


def test_readiness_reports_a_cache_that_does_not_answer(
    production_rules, client, settings
):
    """A Redis that nothing listens on: still ready (200), since every replica shares
    it (config/probes.py), with the cache named as unavailable."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/readyz", **FOREIGN_HOST)
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "detail": "Unavailable: cache.",
        "checks": {"database": "ok", "cache": "unavailable"},
    }
    assert "redis://" not in response.content.decode()


def test_readiness_fails_while_the_database_does_not_answer(
    production_rules, client, settings
):
    """Every query fails: 503, naming the database only (the cache is apart here)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    refused = OperationalError("Connection refused")
    with mock.patch.object(connection, "create_cursor", side_effect=refused):
        response = client.get("/readyz", **FOREIGN_HOST)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "detail": "Unavailable: database.",
        "checks": {"database": "unavailable", "cache": "ok"},
    }


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_take_get_only(production_rules, client, path):
    response = client.post(path, **FOREIGN_HOST)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    ("path", "host", "status"),
    [
        ("/healthz/", "api.example.com", 403),  # plain HTTP refused
        ("/api/example/", "10.1.2.3", 400),  # a Host not allowed
        ("/readyz?x=1", "10.1.2.3", 200),  # the query string is no part of the path
    ],
)
def test_other_paths_keep_their_rules(production_rules, client, path, host, status):
    response = client.get(path, HTTP_HOST=host, secure=host == "10.1.2.3")
    assert response.status_code == status
