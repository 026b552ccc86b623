"""gunicorn.conf.py's hooks: what the master does before it forks the workers."""

import gc
import runpy
import sys

import pytest
from django.conf import settings
from django.db import connection

HOOKS = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))


def test_when_ready_loads_the_urlconf(monkeypatch):
    """Workers are forked with the URLconf and its views already imported."""
    monkeypatch.delitem(sys.modules, settings.ROOT_URLCONF, raising=False)
    HOOKS["when_ready"](server=None)
    assert settings.ROOT_URLCONF in sys.modules


def test_when_ready_loads_the_redis_client(monkeypatch, settings):
    """With the Redis cache, workers are forked with redis-py already imported."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    monkeypatch.delitem(sys.modules, "redis", raising=False)
    HOOKS["when_ready"](server=None)
    assert "redis" in sys.modules


def test_pre_fork_freezes_the_masters_objects():
    """The garbage collector in a worker leaves the objects it inherited alone."""
    try:
        HOOKS["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.django_db(transaction=True)
def test_pre_fork_closes_the_database_connection():
    """No worker inherits the master's database connection."""
    if connection.vendor == "sqlite":
        # The test database is then in memory, which Django never closes: it would be lost.
        pytest.skip("needs a database server (DATABASE_URL=postgres://...)")
    connection.ensure_connection()
    try:
        HOOKS["pre_fork"](server=None, worker=None)
        assert connection.connection is None
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("environ", "bind"),
    [
        ({}, ["127.0.0.1:8000"]),  # behind nginx on the same host (deploy/)
        ({"PORT": "8080"}, ["0.0.0.0:8080"]),  # a platform's port, as in the image
        ({"PORT": "8080", "GUNICORN_BIND": "10.0.0.2:9000"}, ["10.0.0.2:9000"]),
        ({"GUNICORN_BIND": "unix:/run/app.sock"}, ["unix:/run/app.sock"]),
    ],
)
def test_bind(monkeypatch, environ, bind):
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    assert config["bind"] == bind


def test_gunicorn_logs_as_django_does():
    """One logging configuration: gunicorn's messages and access log included."""
    assert HOOKS["logconfig_dict"] is settings.LOGGING
    assert {"gunicorn.error", "gunicorn.access"} <= set(settings.LOGGING["loggers"])
