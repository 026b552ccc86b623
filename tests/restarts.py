"""Mixed load across the restart of a service the app needs (PostgreSQL, Redis), for
test_deploy.py and test_containers.py: clients in threads keep calling the API with a
key, logging in, calling and logging out, logging other keys out, and sending wrong
keys; every answer is recorded with when it was sent, so that a test can count the
answers by status while the service was down and after it was back. All on loopback
addresses (127.0.0.0/8, one per client); every request times out.

PYTEST_DONT_REWRITE: helpers only.
"""

import collections
import concurrent.futures
import json
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from deployment import AS_IF_HTTPS, PASSWORD, Client

# What each kind of request answers while every service is up.
EXPECTED = {"token": 200, "login": 200, "logout": 204, "wrong key": 401}
TIMEOUT = 10
# The login throttles count per address and per name (20 and, in the deployment, 5 a
# minute): each login client has an address of its own and takes turns with its
# names, one login every LOGIN_PERIOD seconds at most.
NAMES_PER_LOGIN_CLIENT = 4
LOGIN_PERIOD = 3.5
# Keys the logout client revokes, one every LOGOUT_PERIOD seconds: enough for a minute.
LOGOUT_KEYS = 120
LOGOUT_PERIOD = 0.5
# Longer than LOGIN_PERIOD, so that each kind of request is sent while it is down.
DOWN_SECONDS = 4


@dataclass(frozen=True)
class Answer:
    kind: str
    sent: float  # time.monotonic()
    done: float
    status: int  # 0: no answer at all (refused, reset, timed out)
    content_type: str
    retry_after: str | None
    body: bytes


def ask(kind: str, send: Callable, *args, **kwargs) -> Answer:
    """send(*args, **kwargs), a Client's method, within TIMEOUT; its answer, or status
    0 if none came."""
    sent = time.monotonic()
    try:
        response = send(*args, timeout=TIMEOUT, **kwargs)
    except OSError as error:
        return Answer(kind, sent, time.monotonic(), 0, "", None, str(error).encode())
    return Answer(
        kind, sent, time.monotonic(), response.status,
        response.headers.get("content-type", ""), response.headers.get("retry-after"),
        response.body,
    )  # fmt: skip


def create_users_script(names: list[str]) -> str:
    """Python for `manage.py shell -c`: users with PASSWORD (hashed once, not once per
    user), each given its token by the project's signal; prints {name: key} as JSON."""
    return (
        "import json\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.auth.hashers import make_password\n"
        "User = get_user_model()\n"
        f"hashed = make_password({PASSWORD!r})\n"
        "keys = {}\n"
        f"for name in {names!r}:\n"
        "    user = User.objects.create(username=name, email=name + '@example.com', password=hashed)\n"
        "    keys[name] = user.auth_token.key\n"
        "print(json.dumps(keys))\n"
    )


def created_keys(output: str) -> dict[str, str]:
    """{name: key} from what create_users_script() printed (shell prints a line of
    its own first)."""
    return json.loads(output.strip().splitlines()[-1])


@dataclass
class Load:
    """The clients, and the users they need (names from `tag`, so that no other test
    shares their login throttles), on addresses 127.<network>.x.y of their own."""

    tag: str
    network: int
    token_clients: int = 2
    login_clients: int = 2
    first_logins: int = 6  # users for first_logins()

    def users(self) -> list[str]:
        return [
            *self.names("token", self.token_clients),
            *self.names("login", self.login_clients * NAMES_PER_LOGIN_CLIENT),
            *self.names("logout", LOGOUT_KEYS),
            *self.names("first", self.first_logins),
        ]

    def names(self, role: str, count: int) -> list[str]:
        return [f"{self.tag}-{role}-{number}" for number in range(count)]


class Traffic:
    """A Load's clients, sending through `client`'s port (and CA) until the with block
    ends; `answers` holds every answer."""

    def __init__(self, load: Load, client: Client, keys: dict[str, str]):
        self.load, self.client, self.keys = load, client, keys
        self.answers: list[Answer] = []  # list.append is atomic: threads share it
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self.token_client, args=(number,))
            for number in range(load.token_clients)
        ]
        self.threads += [
            threading.Thread(target=self.login_client, args=(number,))
            for number in range(load.login_clients)
        ]
        self.threads += [
            threading.Thread(target=self.logout_client),
            threading.Thread(target=self.wrong_key_client),
        ]

    def at(self, host: int, address: int) -> Client:
        source = f"127.{self.load.network}.{host}.{address}"
        return Client(self.client.port, self.client.cafile, source=source)

    def record(self, kind: str, send: Callable, *args) -> Answer:
        answer = ask(kind, send, *args)
        self.answers.append(answer)
        return answer

    def token_client(self, number: int) -> None:
        key = self.keys[f"{self.load.tag}-token-{number}"]
        client = self.at(1, number + 1)
        while not self.stopping.is_set():
            self.record("token", client.example, key)

    def login_client(self, number: int) -> None:
        """Logs in, calls with the key it got and logs out: a session's life."""
        client = self.at(2, number + 1)
        first = number * NAMES_PER_LOGIN_CLIENT
        for turn in range(10**6):
            started = time.monotonic()
            name = f"{self.load.tag}-login-{first + turn % NAMES_PER_LOGIN_CLIENT}"
            login = self.record("login", client.login, name)
            if login.status == 200:
                key = json.loads(login.body)["token"]
                self.record("token", client.example, key)
                self.record("logout", client.logout, key)
            if self.stopping.wait(max(0, started + LOGIN_PERIOD - time.monotonic())):
                return

    def logout_client(self) -> None:
        """Logs out the logout users' keys, one after the other."""
        client = self.at(3, 1)
        for name in self.load.names("logout", LOGOUT_KEYS):
            self.record("logout", client.logout, self.keys[name])
            if self.stopping.wait(LOGOUT_PERIOD):
                return

    def wrong_key_client(self) -> None:
        """A well-formed key that matches nothing, from another address each time: the
        failed-key throttle counts per address (20 a minute)."""
        for number in range(10**6):
            client = self.at(4 + number // 250 % 200, number % 250 + 1)
            self.record("wrong key", client.example, "f" * 40)
            if self.stopping.wait(0.05):
                return

    def __enter__(self) -> "Traffic":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=2 * TIMEOUT)


@dataclass
class Outage:
    """When a service was down, in time.monotonic() seconds."""

    stopped: float  # from here, stopped
    starting: float  # from here, starting again
    back: float  # from here, accepting connections again


def restart(
    stopped: AbstractContextManager,
    seconds: float,
    while_down: Callable[[], object] = lambda: None,
) -> Outage:
    """Keep a service down for `seconds`, then call while_down() (`stopped` is a
    server's .stopped(): a with block that stops it and starts it again); when it was
    down and back."""
    with stopped:
        down = time.monotonic()
        time.sleep(seconds)
        while_down()
        starting = time.monotonic()
    return Outage(down, starting, time.monotonic())


def restart_under_load(
    traffic: Traffic,
    stopped: AbstractContextManager,
    while_down: Callable[[], object] = lambda: None,
) -> Outage:
    """The traffic for a second, then the service down for DOWN_SECONDS (see
    restart()) and DOWN_SECONDS more once it is back; when it was down and back."""
    with traffic:
        time.sleep(1)
        outage = restart(stopped, DOWN_SECONDS, while_down)
        time.sleep(DOWN_SECONDS)
    return outage


def split(answers: list[Answer], outage: Outage) -> tuple[list[Answer], list[Answer]]:
    """The answers to requests sent and answered while the service was down, and
    those to requests sent after it was back."""
    during = [
        a for a in answers if a.sent >= outage.stopped and a.done <= outage.starting
    ]
    after = [a for a in answers if a.sent >= outage.back]
    return during, after


def counts(answers: list[Answer]) -> dict[str, dict[int, int]]:
    """How many answers of each status, by kind of request."""
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for answer in answers:
        table[answer.kind][answer.status] += 1
    return {kind: dict(sorted(table[kind].items())) for kind in sorted(table)}


def assert_json_and_never_500(answers: list[Answer]) -> None:
    """Every answer is the one expected, or a JSON 503 with Retry-After: never a 500,
    an HTML page or no answer at all; every body is JSON (a logout's 204 has none)."""
    for answer in answers:
        assert answer.status in {EXPECTED[answer.kind], 503}, answer
        if answer.status == 503:
            assert int(answer.retry_after or 0) > 0, answer
        if answer.status != 204:
            assert answer.content_type.startswith("application/json"), answer
            json.loads(answer.body)


def assert_all_served(answers: list[Answer]) -> None:
    """Each answer is the one expected while every service is up: no error at all."""
    assert answers, "no answer to count"
    wrong = [a for a in answers if a.status != EXPECTED[a.kind]]
    assert not wrong, f"{len(wrong)} of {len(answers)} not served: {wrong[:3]}"


def assert_database_restart_rules(answers: list[Answer], outage: Outage) -> str:
    """While PostgreSQL was down, every answer to every kind of request was a JSON
    503; once it was back, every answer was served. Returns the counts, to print."""
    during, after = split(answers, outage)
    assert_json_and_never_500(answers)
    assert {a.status for a in during} == {503}
    assert {a.kind for a in during} == set(EXPECTED)
    assert_all_served(after)
    return f"PostgreSQL down: {counts(during)}; back: {counts(after)}"


def database_connections(postgres, database_url: str) -> int:
    """How many connections the database of this URL has open (the app's workers
    keep one each)."""
    database = database_url.rsplit("/", 1)[1]
    sql = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}'"
    return int(postgres.psql(sql))


def first_logins(client: Client, names: list[str]) -> list[Answer]:
    """Logins sent together straight to one gunicorn, one per name, each from another
    address (X-Forwarded-For, as nginx sets it): a login keeps a sync worker busy for
    its password hash, so with as many logins as workers, each worker takes one."""

    def login(number: int) -> Answer:
        headers = {**AS_IF_HTTPS, "X-Forwarded-For": f"10.22.0.{number + 1}"}
        return ask("login", client.login, names[number], headers=headers)

    with concurrent.futures.ThreadPoolExecutor(len(names)) as pool:
        return list(pool.map(login, range(len(names))))
