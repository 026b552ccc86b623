"""The generated project as a container image (its Dockerfile), run with podman the
way a platform runs it: read-only, as a non-root user, probed over plain HTTP, logging
JSON on stdout, stopped with SIGTERM; behind the project's nginx config with TLS, on
PostgreSQL and Redis. All on 127.0.0.1 (--network=host)."""

import concurrent.futures
import json
import re
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from containers import (
    as_podman,
    container,
    image_size,
    inspect,
    logs,
    podman,
    readme_commands,
    unique,
)
from deployment import PASSWORD, Client, site_config
from restarts import (
    Load,
    Traffic,
    assert_all_served,
    assert_database_restart_rules,
    counts,
    create_users_script,
    created_keys,
    database_connections,
    first_logins,
    restart,
    restart_under_load,
)
from servers import free_port, start_nginx, wait_until

HADOLINT = Path(sys.executable).parent / "hadolint"
# Those of the platform's limits this machine allows (see .ci/containers.conf).
READ_ONLY = ["--read-only", "--tmpfs", "/tmp"]
HTTPS = {"X-Forwarded-Proto": "https"}


def test_hadolint_finds_nothing(project):
    result = subprocess.run(
        [HADOLINT, "Dockerfile"], cwd=project.path, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_the_image_adds_at_most_150_mb_to_its_base(app_image, images):
    added = image_size(app_image.name) - image_size(images.python)
    assert added <= 150e6, f"{added / 1e6:.0f} MB"


def env_options(env):
    return [f"--env={name}={value}" for name, value in env.items()]


def run_in_image(image, *command, env=None, check=True):
    """A one-off container of the image, read-only, as the platform would run it."""
    return podman(
        "run", "--rm", "--network=host", *READ_ONLY, *env_options(env or {}), image,
        *command, check=check,
    )  # fmt: skip


def test_runs_read_only_as_a_non_root_user(app_image):
    script = (
        "import os, pathlib\n"
        "print(os.getuid(), os.getgid())\n"
        "for path in ['/app/probe', '/opt/venv/probe', '/probe']:\n"
        "    try: pathlib.Path(path).write_text('x')\n"
        "    except OSError as error: print(path, error.strerror)\n"
        "pathlib.Path('/tmp/probe').write_text('x'); print('/tmp writable')\n"
    )
    output = run_in_image(app_image.name, "python", "-c", script).stdout.splitlines()
    assert output == [
        "10001 10001",
        "/app/probe Read-only file system",
        "/opt/venv/probe Read-only file system",
        "/probe Read-only file system",
        "/tmp writable",
    ]
    assert inspect(app_image.name)["Config"]["User"] == "10001:10001"


def test_the_image_holds_no_local_state_or_build_secret(app_image):
    """.dockerignore keeps out .env, .venv, databases and staticfiles/ from the build
    context (the fixture builds a project that has them all); the CA bundle given as
    a build secret and the download caches stay out of the layers."""
    listing = run_in_image(
        app_image.name, "sh", "-c",
        "ls -a /app /app/staticfiles /app/users /opt/venv; ls /app/.venv /run/secrets /root/.cache",
        check=False,
    )  # fmt: skip
    names = listing.stdout.split()
    for unwanted in [".env", "db.sqlite3", "local-marker", "tests", "Dockerfile"]:
        assert unwanted not in names
    assert {"admin", "manage.py", "gunicorn.conf.py", "pyvenv.cfg"} <= set(names)
    assert "/app/.venv" in listing.stderr  # the environment is /opt/venv, built here
    assert "/run/secrets" in listing.stderr
    assert "/root/.cache" in listing.stderr


@dataclass
class Stack:
    """The app container on PostgreSQL and Redis, behind the project's nginx."""

    name: str
    env: dict
    https: Client
    direct: Client
    key: str
    nginx_log: Path


@pytest.fixture(scope="module")
def stack(app_image, postgres, redis, tls_certificate, tmp_path_factory):
    """The README's commands: migrate in a one-off container, then the app (2 workers)
    in the background, with the settings in an env file; on 127.0.0.1 behind
    deploy/nginx.conf with TLS. alice has a token."""
    workdir = tmp_path_factory.mktemp("container-stack")
    port = free_port()
    env = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_URL": postgres.create_database(f"image_{secrets.token_hex(4)}"),
        "REDIS_URL": redis.url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    (workdir / ".env.production").write_text(
        "".join(f"{name}={value}\n" for name, value in env.items())
    )
    project = app_image.project.name
    migrate, serve = readme_commands(app_image.project, "## Containers")[1:3]
    # Host networking keeps every connection on 127.0.0.1 (the -p mapping is moot).
    result = podman(
        *as_podman(migrate, project, app_image.name, "--network=host"), cwd=workdir
    )
    assert "Applying authtoken" in result.stdout
    run_in_image(
        app_image.name, "python", "manage.py", "createsuperuser", "--no-input",
        "--username", "alice", "--email", "alice@example.com",
        env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )  # fmt: skip
    name = unique("app")
    podman(
        *as_podman(serve, project, app_image.name, "--network=host", f"--name={name}"),
        cwd=workdir,
    )
    try:
        direct = Client(port)
        wait_ready(direct, name)
        http_port, https_port = free_port(), free_port()
        config = site_config(
            app_image.project, [port], http_port, https_port, tls_certificate
        )
        with start_nginx(config, workdir / "nginx"):
            https = Client(https_port, cafile=tls_certificate.ca)
            key = https.login("alice").json()["token"]
            yield Stack(
                name, env, https, direct, key, workdir / "nginx" / "site-access.log"
            )
    finally:
        podman("rm", "--force", "--time", "0", name, check=False)


def ready(client):
    return client.status("/readyz") == 200


def wait_ready(client, name, timeout=30):
    """Wait for container `name` to answer /readyz with 200; if it does not, the error
    says what it answered and what the container logged."""
    try:
        wait_until(lambda: ready(client), timeout, f"{name} to be ready")
    except TimeoutError as error:
        answer = client.status("/readyz")
        raise TimeoutError(f"{error} (/readyz: {answer})\n{logs(name)}") from None


def test_the_seeds_token_flow_through_nginx(stack):
    response = stack.https.example(stack.key)
    assert (response.status, response.json()["username"]) == (200, "alice")
    refused = stack.https.request("GET", "/api/example/")
    assert (refused.status, refused.headers["www-authenticate"]) == (401, "Token")
    assert stack.https.example("f" * 40).status == 401


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_plain_http_with_any_host(stack, path):
    response = stack.direct.request("GET", path, headers={"Host": "10.1.2.3:8000"})
    assert response.status == 200
    assert response.json()["status"] == "ok"
    # Every other path keeps its rules: this Host is not allowed, plain HTTP refused.
    other = stack.direct.request("GET", "/api/example/", headers={"Host": "10.1.2.3"})
    assert other.status in {400, 403}


def test_readiness_fails_fast_while_postgres_is_down_and_recovers(stack, postgres):
    with postgres.stopped():
        started = time.monotonic()
        response = stack.direct.request("GET", "/readyz", headers={"Host": "10.0.0.9"})
        elapsed = time.monotonic() - started
        assert response.status == 503
        assert response.json()["checks"] == {"database": "unavailable", "cache": "ok"}
        assert b"postgres://" not in response.body
        assert b"Traceback" not in response.body
        # "Within about a second": a refused connection fails at once, an unreachable
        # host after libpq's connect_timeout (2 s, config/settings/base.py).
        assert elapsed < 2, f"answered in {elapsed:.2f} s"
        # Liveness does not depend on the database: the platform must not restart it.
        assert stack.direct.request("GET", "/healthz").status == 200
    wait_until(lambda: ready(stack.direct), 10, "readiness after PostgreSQL is back")
    assert stack.https.example(stack.key).status == 200


def test_database_restart_under_load(app_image, stack, postgres):
    """PostgreSQL stopped for 4 s under mixed load through nginx (calls with a key,
    logins, logouts, wrong keys), then started: JSON 503s while it is down, every
    answer served once it is back, with no restart of the container. Then restarted
    with nothing sent meanwhile: two logins sent together, each worker's first request
    since, are both served (one failed before CONN_HEALTH_CHECKS), and so is /readyz.
    """
    load = Load("image-restart", network=24, first_logins=2)
    script = create_users_script(load.users())
    output = run_in_image(
        app_image.name, "python", "manage.py", "shell", "-c", script, env=stack.env
    ).stdout
    traffic = Traffic(load, stack.https, created_keys(output))
    outage = restart_under_load(traffic, postgres.stopped())
    print(assert_database_restart_rules(traffic.answers, outage))

    restart(postgres.stopped(), 1)
    first = first_logins(stack.direct, load.names("first", 2))
    print(f"two logins after a quiet restart: {counts(first)}")
    assert_all_served(first)
    assert database_connections(postgres, stack.env["DATABASE_URL"]) == 2
    assert ready(stack.direct)


def test_logs_are_json_lines_with_request_ids_and_no_secrets(stack):
    responses = [
        stack.https.example(stack.key),
        stack.https.request("GET", "/api/example/?token=" + stack.key),
        stack.https.login("alice", password="wrong password"),
        stack.direct.request(
            "GET", "/healthz", headers={"X-Request-ID": "from-client"}
        ),
    ]
    request_ids = [response.headers["x-request-id"] for response in responses]
    # nginx's $request_id replaces what a client sends, and the app returns it.
    assert all(len(request_id) == 32 for request_id in request_ids[:3])
    # A client talking to gunicorn from a trusted address (127.0.0.1 here) may set it.
    assert request_ids[3] == "from-client"

    time.sleep(0.5)  # the access log line is written after the response
    output = logs(stack.name)
    records = [json.loads(line) for line in output.splitlines()]
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["message"].startswith("Starting gunicorn") for r in records)
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    logged_ids = {r["request_id"] for r in access}
    assert set(request_ids) <= logged_ids
    example = next(r for r in access if r["request_id"] == request_ids[1])
    assert (example["method"], example["path"], example["status"]) == (
        "GET",
        "/api/example/",
        401,
    )
    assert example["duration_ms"] > 0
    refused_login = [r for r in records if r.get("request_id") == request_ids[2]]
    assert {r["logger"] for r in refused_login} == {"django.request", "gunicorn.access"}
    for secret in [stack.key, PASSWORD, "wrong password", "Authorization", "Token "]:
        assert secret not in output
    # nginx's access log (deploy/nginx.conf): the same IDs, no query string.
    nginx_log = stack.nginx_log.read_text()
    assert all(request_id in nginx_log for request_id in request_ids[:3])
    assert stack.key not in nginx_log
    assert "token=" not in nginx_log


def test_sigterm_finishes_requests_in_flight_and_exits_0(app_image, stack):
    """A second container of the same image and database, stopped while two logins
    (about a third of a second of hashing each) are being served."""
    port = free_port()
    env = {**stack.env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    options = ["--network=host", *READ_ONLY, *env_options(env)]
    with container(app_image.name, options=options, name="graceful") as name:
        client = Client(port)
        wait_ready(client, name)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            logins = [
                pool.submit(client.login, "alice", headers=HTTPS) for _ in range(2)
            ]
            time.sleep(0.1)  # both accepted by the two workers
            started = time.monotonic()
            stop = podman("stop", "--time", "35", name)
            stopped_in = time.monotonic() - started
            statuses = [login.result().status for login in logins]
        assert statuses == [200, 200]
        assert stop.returncode == 0
        assert inspect(name)["State"]["ExitCode"] == 0
        assert stopped_in < 30
        assert "Shutting down: Master" in logs(name)


ROLLING_RESULTS = (
    Path(__file__).parent.parent / "test-artifacts" / "rolling-restart.txt"
)
# nginx takes an upstream out for fail_timeout (10 s by default) after a failed
# connection: the next replica is restarted only once the previous one is back in.
NGINX_FAIL_TIMEOUT = 10


def test_rolling_restart_of_two_replicas_under_load(
    app_image, stack, tls_certificate, tmp_path
):
    """Two app containers behind the project's nginx, each stopped (SIGTERM) and
    started again in turn while wrk keeps 8 connections busy: no request fails."""
    ports = [free_port(), free_port()]
    replicas = []
    for index, port in enumerate(ports):
        env = {**stack.env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        options = ["--network=host", *READ_ONLY, *env_options(env)]
        replicas.append(
            container(app_image.name, options=options, name=f"replica{index}")
        )
    with replicas[0] as first, replicas[1] as second:
        for name, port in [(first, ports[0]), (second, ports[1])]:
            wait_ready(Client(port), name)
        http_port, https_port = free_port(), free_port()
        config = site_config(
            app_image.project, ports, http_port, https_port, tls_certificate
        )
        with start_nginx(config, tmp_path / "nginx"):
            url = f"https://127.0.0.1:{https_port}/api/example/"
            load = subprocess.Popen(
                ["wrk", "-t2", "-c8", "-d40s", "--latency", "--timeout", "10s",
                 "-H", f"Authorization: Token {stack.key}", "-H", "Host: localhost", url],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            restarts = []
            try:
                time.sleep(3)
                for name, port in [(first, ports[0]), (second, ports[1])]:
                    started = time.monotonic()
                    podman("stop", "--time", "35", name)
                    stopped = time.monotonic()
                    podman("start", name)
                    wait_ready(Client(port), name)
                    back = time.monotonic()
                    restarts.append((name, stopped - started, back - stopped))
                    time.sleep(NGINX_FAIL_TIMEOUT + 1)
                report, _ = load.communicate(timeout=60)
            finally:
                load.kill()
    requests = int(re.search(r"(\d+) requests in", report)[1])
    summary = [
        "wrk -t2 -c8 -d40s GET /api/example/ with a token, through nginx (TLS) to 2 replicas"
    ]
    summary += [
        f"{name}: stopped in {down:.2f} s, ready again {up:.2f} s later"
        for name, down, up in restarts
    ]
    summary.append(report)
    ROLLING_RESULTS.parent.mkdir(exist_ok=True)
    ROLLING_RESULTS.write_text("\n".join(summary))
    print("\n".join(summary))
    assert requests > 1000
    assert "Non-2xx or 3xx responses" not in report, report
    assert "Socket errors" not in report, report
