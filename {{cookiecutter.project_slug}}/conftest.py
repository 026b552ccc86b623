"""Fixtures every app's tests share (pytest reads this file before any test)."""

import os
import re
import socket
import subprocess
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
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


class Inbox:
    """An aiosmtpd handler that keeps every message the server receives."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            message_from_bytes(envelope.content, policy=policy.default)
        )
        return "250 Message accepted for delivery"

    def to(self, address):
        """The messages sent to address, oldest first."""
        return [message for message in self.messages if message["To"] == address]

    def link(self, address):
        """The uid and token of the link in the latest message to address."""
        body = self.to(address)[-1].get_content()
        link = re.search(r"\?uid=(?P<uid>[^&\s]+)&token=(?P<token>\S+)", body)
        assert link, body
        return link.groupdict()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on this machine, for the whole session."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """What the project sends by email during the test, through the SMTP server."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": smtp_server.hostname, "port": smtp_server.port},
        }
    }
    inbox = smtp_server.handler
    inbox.messages.clear()
    return inbox
