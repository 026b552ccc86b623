"""The account emails in production: the API queues them in PostgreSQL and the task
worker (`manage.py worker`, as deploy/worker.service runs it) sends them through a real
SMTP server (aiosmtpd). A password reset through nginx, read from the server's Maildir
and followed to the end; then the faults: the SMTP server down, the worker killed or
stopped with emails queued, PostgreSQL restarted under the worker."""

import json
import os
import signal
import textwrap
from http import HTTPStatus

from deployment import Client
from servers import emailed_link, wait_until

RESET = "/api/accounts/password/reset/"
NEW_PASSWORD = "a new and long passphrase"
DELIVERY_SECONDS = 60

# Users, each with an address of its own and a password (a reset needs one), in one
# statement; prints nothing.
MAKE_USERS = textwrap.dedent("""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    User = get_user_model()
    password = make_password("a long passphrase")
    User.objects.bulk_create(
        User(username=name, email=f"{{name}}@example.com", password=password)
        for name in {names!r}
    )
""")
# How the queued task of the latest reset asked for ended, with its id.
LATEST_RESET = textwrap.dedent("""
    from django_tasks_db.models import DBTaskResult
    task = DBTaskResult.objects.filter(task_path="users.tasks.send_password_reset")
    latest = task.latest("enqueued_at")
    print(latest.id, latest.status)
""")


def make_users(deployment, prefix, count):
    names = [f"{prefix}{index}" for index in range(count)]
    script = MAKE_USERS.format(names=names)
    deployment.manage("shell", "--no-imports", "-c", script)
    return [f"{name}@example.com" for name in names]


def ask_for_reset(client, email):
    body = json.dumps({"email": email})
    headers = {"Content-Type": "application/json"}
    return client.request("POST", RESET, body, headers)


def senders(deployment, network, count=1):
    """Clients from `count` loopback addresses of 127.0.<network>.0/24, each test its
    own: resets are throttled per client address (DJANGO_ACCOUNT_EMAIL_RATE, 20 an hour)."""
    port, cafile = deployment.https.port, deployment.https.cafile
    return [Client(port, cafile, f"127.0.{network}.{n + 1}") for n in range(count)]


def delivered(deployment, addresses):
    """How many messages each address got, once each got at least one."""
    counts = {}

    def arrived():
        counts.update({to: len(deployment.smtp.messages(to=to)) for to in addresses})
        return all(counts.values())

    wait_until(arrived, DELIVERY_SECONDS, "every queued email", 0.5)
    return counts


def test_a_reset_through_nginx_and_the_worker(deployment):
    """202 at once; the worker sends the link; it sets the password; the new one logs
    in and the old one does not."""
    [address] = make_users(deployment, "grace", 1)
    [client] = senders(deployment, 21)
    assert ask_for_reset(client, address).status == HTTPStatus.ACCEPTED

    assert delivered(deployment, [address]) == {address: 1}
    [email] = deployment.smtp.messages(to=address)
    assert "reset your password" in email["Subject"]
    body = json.dumps({**emailed_link(email), "new_password": NEW_PASSWORD})
    confirmed = client.request(
        "POST", f"{RESET}confirm/", body, {"Content-Type": "application/json"}
    )
    assert confirmed.status == HTTPStatus.OK, confirmed.body
    assert client.login("grace0", NEW_PASSWORD).status == HTTPStatus.OK
    assert client.login("grace0").status == HTTPStatus.BAD_REQUEST


def test_smtp_server_down_fails_the_task_without_retry(deployment):
    """The API still answers 202; the task fails, logged with its id, and stays failed
    in the queue's table (the admin's Task results); nothing is sent once the server is
    back: the user asks again."""
    [address] = make_users(deployment, "heidi", 1)
    [client] = senders(deployment, 22)
    worker_log = deployment.worker.log_path
    with deployment.smtp.stopped():
        assert ask_for_reset(client, address).status == HTTPStatus.ACCEPTED
        task_id = wait_until(
            lambda: failed_reset(deployment), DELIVERY_SECONDS, "the task to fail", 0.5
        )
    assert f"Task id={task_id} path=users.tasks.send_password_reset state=FAILED" in (
        worker_log.read_text()
    )
    assert ask_for_reset(client, address).status == HTTPStatus.ACCEPTED
    assert delivered(deployment, [address]) == {address: 1}


def failed_reset(deployment):
    """The id of the latest reset's task, once it has failed."""
    task_id, status = deployment.manage(
        "shell", "--no-imports", "-c", LATEST_RESET
    ).stdout.split()
    return task_id if status == "FAILED" else None


def test_worker_killed_with_emails_queued(deployment):
    """SIGKILL, with ten emails queued behind it: a new worker sends each once."""
    addresses = make_users(deployment, "ivan", 10)
    [client] = senders(deployment, 23)
    os.killpg(deployment.worker.pid, signal.SIGSTOP)  # it takes nothing from now on
    for address in addresses:
        assert ask_for_reset(client, address).status == HTTPStatus.ACCEPTED
    os.killpg(deployment.worker.pid, signal.SIGKILL)
    deployment.worker.stop()

    deployment.start_worker()

    assert delivered(deployment, addresses) == dict.fromkeys(addresses, 1)


def test_worker_stopped_during_a_burst(deployment):
    """SIGTERM while 50 resets come in: the worker finishes the email in hand and
    exits; the next one sends the rest, each once."""
    addresses = make_users(deployment, "judy", 50)
    clients = senders(deployment, 24, count=3)
    for index, address in enumerate(addresses):
        if index == 10:
            assert deployment.worker.stop() == 0  # SIGTERM, and a clean exit
        client = clients[index % len(clients)]
        assert ask_for_reset(client, address).status == HTTPStatus.ACCEPTED

    deployment.start_worker()

    assert delivered(deployment, addresses) == dict.fromkeys(addresses, 1)


def test_worker_outlives_a_postgresql_restart(deployment, postgres):
    """The same worker process, still running, sends what is queued after PostgreSQL
    was restarted under it."""
    [address] = make_users(deployment, "kate", 1)
    worker = deployment.worker.pid
    postgres.stop()
    postgres.start()
    [client] = senders(deployment, 25)
    assert ask_for_reset(client, address).status == HTTPStatus.ACCEPTED
    assert delivered(deployment, [address]) == {address: 1}
    assert deployment.worker.pid == worker
    assert deployment.worker.is_running()
