"""Sign-up, a new link and a password reset tell nothing about whether an address is
registered: the same status, body and headers, the same 429, and the same time, since
the request only enqueues a task, which is what looks the address up. The queue here
is Django's DummyBackend, which keeps what is enqueued without running it, as the
queue a worker drains in production would."""

import statistics
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend
from django.test.utils import CaptureQueriesContext

from .utils import account_call, sign_up_data

pytestmark = pytest.mark.django_db

KNOWN, UNKNOWN = "alice@example.com", "nobody@example.com"
ASKS = [
    pytest.param("signup", sign_up_data, id="signup"),
    pytest.param("resend-verification", lambda email: {"email": email}, id="resend"),
    pytest.param("request-password-reset", lambda email: {"email": email}, id="reset"),
]
# Headers that differ on every answer, whatever was asked.
PER_REQUEST = {"Date", "X-Request-ID"}


@pytest.fixture
def queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    yield backend
    backend.clear()


def answer(response):
    headers = {k: v for k, v in response.headers.items() if k not in PER_REQUEST}
    return response.status_code, response.content, headers


@pytest.mark.parametrize(("name", "body"), ASKS)
def test_the_same_answer_and_one_task_either_way(api_client, user, queue, name, body):
    known = account_call(api_client, name, body(KNOWN))
    unknown = account_call(api_client, name, body(UNKNOWN))
    assert answer(known) == answer(unknown)
    assert known.status_code == 202
    assert len(queue.results) == 2


@pytest.mark.parametrize(("name", "body"), ASKS)
def test_the_request_never_looks_the_address_up(api_client, user, queue, name, body):
    """No query of the users' table by address (a sign-up's username, where users
    have one, is looked up: a taken name is refused)."""
    with CaptureQueriesContext(connection) as queries:
        account_call(api_client, name, body(KNOWN))
    assert queries.captured_queries, "no query seen: the test would prove nothing"
    by_address = [q["sql"] for q in queries if '"users_user"."email"' in q["sql"]]
    assert by_address == []


@pytest.mark.parametrize(("name", "body"), ASKS)
def test_the_same_429_either_way(api_client, user, queue, settings, name, body):
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["account_email_address"]
    limited = []
    for email in (KNOWN, UNKNOWN):
        for _ in range(int(rate.split("/")[0])):
            account_call(api_client, name, body(email))
        limited.append(account_call(api_client, name, body(email)))
    assert answer(limited[0]) == answer(limited[1])
    assert limited[0].status_code == 429


@pytest.mark.parametrize(("name", "body"), ASKS)
def test_the_same_time_either_way(api_client, user, queue, name, body):
    """Over 200 rounds, each a known and an unknown address in turn (which goes first
    alternates), the median of this process's CPU time per request is within 20% (or
    0.2 ms) either way: a lookup and an email in the request would cost several times
    that. CPU time, not the clock: the machine's other load moves the clock much more."""
    cpu: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    for round_number in range(200):
        order = [KNOWN, UNKNOWN] if round_number % 2 else [UNKNOWN, KNOWN]
        for email in order:
            cache.clear()  # no throttle in the way
            start = time.process_time()
            account_call(api_client, name, body(email))
            cpu[email].append(time.process_time() - start)
        queue.clear()
    known, unknown = (statistics.median(times) for times in cpu.values())
    assert abs(known - unknown) <= max(0.2 * min(known, unknown), 0.0002), (
        f"median CPU {known * 1000:.2f} ms known, {unknown * 1000:.2f} ms unknown"
    )
