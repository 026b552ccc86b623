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
