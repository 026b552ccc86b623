"""Fixtures every app's tests share (pytest reads this file before any test)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from users.tests.utils import PASSWORD
from users.tests.utils import make_user as make_user_with_password


def pytest_configure(config):
    """Deprecation warnings that this project's own code triggers fail the tests (the
    dependencies' own are only reported), for config and every app in LOCAL_APPS."""
    for module in ["config", *settings.LOCAL_APPS]:
        config.addinivalue_line("filterwarnings", f"error::DeprecationWarning:{module}")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def password():
    """The password of `user`."""
    return PASSWORD


@pytest.fixture
def make_user(db):
    """make_user(login, **fields): a user who logs in with `login` and `password`."""
    return make_user_with_password


@pytest.fixture
def user(make_user):
    """alice@example.com, whose login is that address (as username or email)."""
    return make_user("alice@example.com")


@pytest.fixture
def run_python():
    """Run a script in a fresh interpreter of this environment, with the test settings
    and the given extra environment variables; return what it printed."""

    def run(script, *args, **environ):
        # Logs go to stdout too: only errors, which would make the caller's check fail.
        quiet = {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DJANGO_LOG_LEVEL": "ERROR",
        }
        # This interpreter, and the caller's script: nothing from outside.
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script, *args],
            cwd=settings.BASE_DIR,
            env={**os.environ, **quiet, **environ},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    return run
