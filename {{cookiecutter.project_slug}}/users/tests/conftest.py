import json
import os
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

User = get_user_model()

PASSWORD = "correct horse battery staple"


def make_user(login, **fields):
    """Create a user whose login (username or email, per USERNAME_FIELD) is `login`."""
    fields = {"email": login, **fields, User.USERNAME_FIELD: login}
    return User.objects.create_user(password=PASSWORD, **fields)


def run_python(script, *args, **environ):
    """Run script in a fresh interpreter of this environment, with the test settings
    and these extra environment variables; return what it printed."""
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


def snapshot():
    """Every user and token as stored, to prove nothing changed."""
    return (
        list(User.objects.order_by("pk").values()),
        list(Token.objects.order_by("pk").values_list("key", "user_id", "created")),
    )


def assert_refused(response):
    """A 4xx whose body is JSON (not an HTML error page)."""
    assert HTTPStatus.BAD_REQUEST <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    json.loads(response.content)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    return make_user("alice@example.com")


def admin_page(response):
    """The HTML of an admin page that loaded."""
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()
