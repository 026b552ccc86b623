"""gunicorn.conf.py's hooks: what the master does before it forks the workers."""

import gc
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import weakref

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


class Node:
    itself: "Node"


def test_pre_fork_keeps_the_masters_objects_out_of_collections():
    """A worker's garbage collections leave the objects it inherited alone: even a
    cycle that only a collection could free stays, until the objects are unfrozen."""
    cycle = Node()
    cycle.itself = cycle
    alive = weakref.ref(cycle)
    del cycle
    try:
        HOOKS["pre_fork"](server=None, worker=None)
        gc.collect()
        assert alive() is not None
    finally:
        gc.unfreeze()
    gc.collect()
    assert alive() is None


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


def wait_until(condition, seconds=30):
    """condition()'s first true value, asked again while the server starts."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, "gave up waiting for the server"
        time.sleep(0.2)
    return value


def healthz(port):
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
    except OSError:
        return None


def test_gunicorn_logs_json_lines_as_django_does(tmp_path):
    """Served by gunicorn with DJANGO_LOG_FORMAT=json, every line written is a JSON
    object, gunicorn's own messages and its access log included, and still after a
    reload (SIGHUP: systemd's reload), when gunicorn sets its logging up again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DJANGO_LOG_FORMAT": "json",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        # This interpreter's gunicorn, and the project's configuration.
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: healthz(port))
        server.send_signal(signal.SIGHUP)
        wait_until(lambda: log.read_text().count("Booting worker") == 2)
        response = wait_until(lambda: healthz(port))
    finally:
        server.terminate()
        server.wait(timeout=60)

    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(record["logger"] == "gunicorn.error" for record in records)
    access = [record for record in records if record["logger"] == "gunicorn.access"]
    assert [record["path"] for record in access] == ["/healthz", "/healthz"]
    assert access[-1]["status"] == 200
    assert access[-1]["request_id"] == response.headers["X-Request-ID"]
