"""The generated project deployed for real (tests/deployment.py): TLS, HTTPS-only rules,
trusted proxies, throttles across workers and hosts, bad input at the edge, PostgreSQL
and Redis restarted under load (tests/restarts.py), and load."""

import json
import re
import subprocess

import pytest

from deployment import (
    AS_IF_HTTPS,
    GUNICORN_WORKERS,
    LOGIN_NAME_RATE,
    Client,
    raw_request,
)
from restarts import (
    EXPECTED,
    Load,
    Traffic,
    assert_all_served,
    assert_database_restart_rules,
    assert_json_and_never_500,
    counts,
    create_users_script,
    created_keys,
    database_connections,
    first_logins,
    restart,
    restart_under_load,
    split,
)


def test_gunicorn_config_is_valid(project):
    """`gunicorn --check-config` accepts gunicorn.conf.py."""
    project.run("gunicorn", "--check-config", "--config", "gunicorn.conf.py")


def test_token_flow_over_https(deployment):
    """Through nginx with TLS: obtain a token, call the API with it."""
    obtained = deployment.https.login("alice")
    assert obtained.status == 200
    assert "no-store" in obtained.headers["cache-control"]
    key = obtained.json()["token"]

    response = deployment.https.example(key)

    assert response.status == 200
    assert response.json()["username"] == "alice"


def test_security_headers_over_https(deployment):
    """HSTS of a year with subdomains, nosniff, and the strict CSP on API responses."""
    response = deployment.https.example(deployment.key)
    hsts = response.headers["strict-transport-security"]
    assert int(re.search(r"max-age=(\d+)", hsts)[1]) >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts
    assert response.headers["x-content-type-options"] == "nosniff"
    csp = response.headers["content-security-policy"]
    for directive in [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]:
        assert directive in csp


def test_admin_login_page_and_stylesheet_load_over_https(deployment):
    """The admin login page and its (collected, compressed) stylesheet are served."""
    page = deployment.https.request("GET", "/admin/login/")
    assert page.status == 200
    stylesheets = re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', page.body.decode()
    )
    assert stylesheets
    for href in stylesheets:
        sheet = deployment.https.request(
            "GET", href, headers={"Accept-Encoding": "gzip"}
        )
        assert sheet.status == 200, href
        assert sheet.headers["content-type"].startswith("text/css")
        assert "max-age=315360000" in sheet.headers["cache-control"]


def test_api_over_plain_http_is_refused(deployment):
    """Over plain HTTP an API call gets the JSON refusal and no data."""
    key = deployment.key
    response = deployment.http.example(key)
    assert response.status == 403
    assert response.json() == {"detail": "HTTPS is required."}
    assert b"alice" not in response.body


def test_admin_over_plain_http_redirects(deployment):
    """The admin login page over plain HTTP redirects to https."""
    response = deployment.http.request("GET", "/admin/login/")
    assert response.status == 301
    assert response.headers["location"].startswith("https://")
    assert response.headers["location"].endswith("/admin/login/")


@pytest.mark.parametrize(
    ("source", "secure"), [("127.0.0.2", False), ("127.0.0.1", True)]
)
def test_forwarded_proto_is_believed_only_from_trusted_addresses(
    deployment, source, secure
):
    """X-Forwarded-Proto: https sent straight to gunicorn counts only from the proxy's address."""
    key = deployment.key
    response = deployment.direct(0, source=source).example(key, headers=AS_IF_HTTPS)
    if secure:
        assert response.status == 200
    else:
        assert response.status == 403
        assert response.json() == {"detail": "HTTPS is required."}


def test_login_throttle_holds_across_workers_and_forwarded_for(deployment, redis):
    """N failed logins pass, the next is 429, whichever of 4+2 workers answers, even when
    the client sends a new X-Forwarded-For each time: the workers count in Redis."""
    client = Client(deployment.https.port, deployment.https.cafile, source="127.0.0.3")
    for attempt in range(LOGIN_NAME_RATE):
        forwarded = {"X-Forwarded-For": f"10.1.0.{attempt}"}
        assert client.login("mallory", "guess", headers=forwarded).status == 400

    refused = client.login("mallory", "guess", headers={"X-Forwarded-For": "10.9.9.9"})

    assert refused.status == 429
    assert int(refused.headers["retry-after"]) > 0
    assert refused.json()["detail"].startswith("Request was throttled.")
    keys = subprocess.run(
        ["redis-cli", "-u", redis.url, "--scan", "--pattern", "*throttle_login*"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert keys, "no throttle counts were stored in Redis"


def test_token_works_across_hosts_and_revocation_is_immediate(deployment):
    """A token from instance A works on B; logged out on B, A refuses it at once."""
    a, b = deployment.direct(0), deployment.direct(1)
    key = a.login("bob", headers=AS_IF_HTTPS).json()["token"]
    assert b.example(key, headers=AS_IF_HTTPS).status == 200

    assert b.logout(key, headers=AS_IF_HTTPS).status == 204

    refused = a.example(key, headers=AS_IF_HTTPS)
    assert refused.status == 401
    assert refused.json() == {"detail": "Invalid token."}


BAD_REQUESTS = {
    "NUL in a header": b"X-Test: a\x00b\r\n",
    "DEL in a header": b"X-Test: a\x7fb\r\n",
    "bare CR in a header": b"X-Test: a\rb\r\n",
    "LF inside a header": b"X-Test: a\nb\r\n",
    "Authorization over 8 KB": b"Authorization: Token " + b"a" * 9000 + b"\r\n",
}


@pytest.mark.parametrize("case", BAD_REQUESTS)
@pytest.mark.parametrize("target", ["nginx", "gunicorn"])
def test_bad_headers_get_a_4xx(deployment, case, target):
    """Malformed headers are refused with a 4xx by nginx and by gunicorn alike."""
    port, cafile = (
        (deployment.https.port, deployment.https.cafile)
        if target == "nginx"
        else (deployment.gunicorn_ports[0], None)
    )
    request = (
        b"GET /api/example/ HTTP/1.1\r\nHost: localhost\r\n"
        + BAD_REQUESTS[case]
        + b"\r\n"
    )
    response = raw_request(port, request, cafile)
    assert 400 <= response.status < 500, f"{case} via {target}: {response.status}"
    assert deployment.https.example(deployment.key).status == 200  # still serving


@pytest.mark.parametrize("target", ["nginx", "gunicorn"])
def test_huge_body_and_unknown_host_get_a_4xx(deployment, target):
    """A 3 MB JSON body and an unknown Host are 4xx, and the server keeps serving."""
    client = deployment.https if target == "nginx" else deployment.direct(0)
    headers = {"Content-Type": "application/json"} | (
        {} if target == "nginx" else AS_IF_HTTPS
    )
    huge = json.dumps({"username": "alice", "password": "x" * (3 * 1024 * 1024)})
    assert 400 <= client.request("POST", "/api-token-auth/", huge, headers).status < 500

    unknown_host = client.request(
        "GET", "/api/example/", headers={"Host": "evil.example.net", **headers}
    )
    assert unknown_host.status == 400
    assert unknown_host.json() == {"detail": "Bad request."}
    assert deployment.https.example(deployment.key).status == 200


def start_traffic(deployment, load):
    """The load's users, then its clients through nginx (TLS)."""
    script = create_users_script(load.users())
    keys = created_keys(deployment.manage("shell", "-c", script).stdout)
    return Traffic(load, deployment.https, keys)


def every_worker_logs_in_first(deployment, load):
    """As many logins sent together to each gunicorn as it has workers, so that each
    worker's first request after a restart is a login."""
    names = iter(load.names("first", sum(GUNICORN_WORKERS)))
    answers = []
    for index, workers in enumerate(GUNICORN_WORKERS):
        batch = [next(names) for _ in range(workers)]
        answers += first_logins(deployment.direct(index), batch)
    return answers


def test_database_restart_under_load(deployment, postgres):
    """PostgreSQL stopped for 4 s under mixed load through nginx (calls with a key,
    logins, logouts, wrong keys), then started: every answer while it is down is a
    JSON 503 with Retry-After, and every answer after it is back is served, with no
    restart of gunicorn. Then a quiet restart, nothing sent meanwhile: every worker's
    first request after it (a login) is served too."""
    load = Load("db-restart", network=22)
    traffic = start_traffic(deployment, load)
    outage = restart_under_load(traffic, postgres.stopped())
    print(assert_database_restart_rules(traffic.answers, outage))

    restart(postgres.stopped(), 1)
    first = every_worker_logs_in_first(deployment, load)
    print(f"first requests after a quiet restart: {counts(first)}")
    assert_all_served(first)
    # Each worker has opened a new connection: every one of them was asked.
    connected = database_connections(postgres, deployment.env["DATABASE_URL"])
    assert connected == sum(GUNICORN_WORKERS)


def test_cache_restart_under_load(deployment, redis):
    """Redis stopped for 4 s under the same load, then started: calls with a valid key
    and logouts are served throughout; logins and wrong keys, whose throttles cannot
    count, get a JSON 503 with Retry-After; /readyz stays 200 and names the cache.
    After it is back every answer is served; after a quiet restart, every worker's
    first login too."""
    load = Load("cache-restart", network=23)
    traffic = start_traffic(deployment, load)
    readiness = []
    outage = restart_under_load(
        traffic,
        redis.stopped(),
        lambda: readiness.append(deployment.direct(0).request("GET", "/readyz")),
    )
    during, after = split(traffic.answers, outage)
    print(f"Redis down: {counts(during)}; back: {counts(after)}")
    assert_json_and_never_500(traffic.answers)
    assert counts(during).keys() == EXPECTED.keys()
    for answer in during:
        served = answer.kind in {"token", "logout"}
        assert answer.status == (EXPECTED[answer.kind] if served else 503), answer
    assert_all_served(after)
    assert readiness[0].status == 200
    assert readiness[0].json()["checks"] == {"database": "ok", "cache": "unavailable"}

    restart(redis.stopped(), 1)
    first = every_worker_logs_in_first(deployment, load)
    print(f"first logins after a quiet restart: {counts(first)}")
    assert_all_served(first)
    clients = subprocess.run(
        ["redis-cli", "-u", redis.url, "client", "list"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert len(clients) - 1 == sum(GUNICORN_WORKERS)  # and redis-cli itself


def test_load_on_the_authenticated_endpoint(deployment, tmp_path):
    """wrk: 32 connections for 10 s on GET /api/example/ with a token, through nginx
    and TLS, completes with no errors and no non-2xx answer."""
    key = deployment.key
    result = subprocess.run(
        [
            "wrk", "-t2", "-c32", "-d10s", "--latency", "--timeout", "10s",
            "-H", f"Authorization: Token {key}", "-H", "Host: localhost",
            f"https://127.0.0.1:{deployment.https.port}/api/example/",
        ],
        capture_output=True, text=True, timeout=90, check=True,
    )  # fmt: skip
    report = result.stdout
    print(report)
    requests = int(re.search(r"(\d+) requests in", report)[1])
    assert requests > 1000
    assert "Non-2xx or 3xx responses" not in report, report
    assert "Socket errors" not in report, report
