"""The errors nginx answers itself (deploy/nginx.conf), not Django: each in JSON with a
`detail` field and its own status, from the real nginx."""

import json
import os
import signal

import pytest

from deployment import Client, raw_request, site_config, start_gunicorn
from servers import free_port, start_nginx

JSON = "application/json"


def assert_json_error(response, status, detail):
    assert response.status == status, response.body[:300]
    assert response.headers["content-type"] == JSON
    assert response.json() == {"detail": detail}


def test_body_over_the_limit_is_a_json_413(deployment):
    """A body over client_max_body_size (1 MB) never reaches gunicorn."""
    body = json.dumps({"username": "alice", "password": "x" * (2 * 1024 * 1024)})
    response = deployment.https.request(
        "POST", "/api-token-auth/", body, {"Content-Type": JSON}
    )
    assert_json_error(response, 413, "Request body too large.")


GET = b"GET /api/example/ HTTP/1.1\r\nHost: localhost\r\n"
# Requests nginx refuses itself: (raw request, status, detail).
BAD_REQUESTS = {
    "malformed request line": (
        b"GET /api/example/ HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
        400, "Bad request.",
    ),
    "no Host header": (b"GET /api/example/ HTTP/1.1\r\n\r\n", 400, "Bad request."),
    "NUL in a header": (GET + b"X-Test: a\x00b\r\n\r\n", 400, "Bad request."),
    # Over large_client_header_buffers: nginx's 494, a 400 to the client.
    "header over 8 KB": (
        GET + b"X-Big: " + b"a" * 9000 + b"\r\n\r\n", 400, "Bad request."
    ),
    "URI over 8 KB": (
        b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
        414, "Request URI too long.",
    ),
    "unknown Transfer-Encoding": (
        b"POST /api-token-auth/ HTTP/1.1\r\nHost: localhost\r\n"
        b"Transfer-Encoding: gzip\r\n\r\n",
        501, "Unsupported Transfer-Encoding.",
    ),
    "HTTP/2.0 request line over HTTP/1": (
        b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n",
        505, "HTTP version not supported.",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_bad_request_is_answered_in_json(deployment, case):
    request, status, detail = BAD_REQUESTS[case]
    response = raw_request(deployment.https.port, request, deployment.https.cafile)
    assert_json_error(response, status, detail)


def test_plain_http_to_the_tls_port_is_a_json_400(deployment):
    """nginx's 497 (plain HTTP sent to the HTTPS port) reaches the client as a 400."""
    response = raw_request(
        deployment.https.port, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    assert_json_error(response, 400, "Bad request.")


@pytest.fixture
def own_gunicorn(deployment, tmp_path, tls_certificate):
    """The project under a gunicorn of its own, behind an nginx of its own (with a
    1 s read timeout instead of 35 s), so that stopping it disturbs no other test."""
    port, http_port, https_port = free_port(), free_port(), free_port()
    config = site_config(
        deployment.project, [port], http_port, https_port, tls_certificate
    ).replace("proxy_read_timeout 35s;", "proxy_read_timeout 1s;")
    assert "proxy_read_timeout 1s;" in config
    gunicorn = start_gunicorn(
        tmp_path, deployment.project, deployment.venv, deployment.env, port, 1,
        "gunicorn-own",
    )  # fmt: skip
    try:
        with start_nginx(config, tmp_path / "nginx"):
            https = Client(https_port, cafile=tls_certificate.ca)
            assert https.example(deployment.key).status == 200
            yield gunicorn, https
    finally:
        gunicorn.stop()


def test_gunicorn_hung_is_a_json_504(own_gunicorn, deployment):
    """gunicorn accepts but does not answer (every process stopped with SIGSTOP):
    nginx gives up after proxy_read_timeout with a JSON 504."""
    gunicorn, https = own_gunicorn
    os.killpg(gunicorn.pid, signal.SIGSTOP)
    try:
        response = https.example(deployment.key)
    finally:
        os.killpg(gunicorn.pid, signal.SIGCONT)
    assert_json_error(
        response, 504, "The application did not answer in time. Try again later."
    )
    assert https.example(deployment.key).status == 200  # answers again


def test_gunicorn_down_is_a_json_502(own_gunicorn, deployment):
    gunicorn, https = own_gunicorn
    gunicorn.stop()
    response = https.example(deployment.key)
    assert_json_error(
        response, 502, "The application is not reachable. Try again later."
    )
