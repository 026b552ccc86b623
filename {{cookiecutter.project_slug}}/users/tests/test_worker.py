"""Production's queue and worker, run as production runs them: a request enqueues the
email in the database (django-tasks-db), and `manage.py worker`, another process of
the same code, sends it through the SMTP server; its log lines are JSON, with the
task's id and name, and never the link."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

# Asks for a password reset as the API does, for a user made first.
ASK_FOR_A_RESET = """
from django.contrib.auth import get_user_model
from users import accounts
User = get_user_model()
login = {User.USERNAME_FIELD: "alice@example.com", "email": "alice@example.com"}
User.objects.create_user(**login, password="a long passphrase")
accounts.request_password_reset("alice@example.com")
"""


@pytest.fixture
def production(smtp_server, tmp_path):
    """Production settings on a new SQLite database, mail to the test SMTP server."""
    smtp_server.handler.messages.clear()
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_EMAIL_HOST": smtp_server.hostname,
        "DJANGO_EMAIL_PORT": str(smtp_server.port),
        "DJANGO_EMAIL_USE_TLS": "false",
        "DJANGO_LOG_FORMAT": "json",
    }

    def manage(*args):
        # This interpreter, the project's manage.py.
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR, env=environ, capture_output=True, text=True,
            check=True, timeout=120,
        ).stdout  # fmt: skip

    manage("migrate", "--no-input", "--verbosity", "0")
    return manage


def test_the_worker_sends_what_a_request_queued(production, smtp_server):
    production("shell", "--no-imports", "-c", ASK_FOR_A_RESET)
    assert smtp_server.handler.messages == []  # queued, not sent

    output = production("worker", "--batch", "--no-startup-delay")

    [email] = smtp_server.handler.messages
    assert email["To"] == "alice@example.com"
    link = email.get_content().split("token=")[1].split()[0]
    records = [json.loads(line) for line in output.splitlines()]
    tasks = [record for record in records if record["logger"] == "django.tasks"]
    assert [record["message"].split()[-1] for record in tasks] == [
        "state=RUNNING",
        "state=SUCCESSFUL",
    ]
    assert {record["task_name"] for record in tasks} == {
        "users.tasks.send_password_reset"
    }
    assert len({record["task_id"] for record in tasks}) == 1
    assert link not in output
    assert "alice@example.com" not in output
