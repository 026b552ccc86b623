"""Request IDs (config/middleware.py): from a trusted proxy, or made up; in the
response and in the logs."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")
NGINX_ID = "5f0c7a9e3d2b4c1a8e6f0d9b7a5c3e1f"


@pytest.mark.parametrize(
    ("remote_addr", "sent", "kept"),
    [
        ("127.0.0.1", NGINX_ID, True),  # the proxy on this host
        ("::1", NGINX_ID, True),
        ("203.0.113.9", NGINX_ID, False),  # anyone else
        ("127.0.0.1", "bad id\nwith a line break", False),
        ("127.0.0.1", "x" * 201, False),
        ("127.0.0.1", "", False),
    ],
)
def test_the_id_comes_from_a_trusted_proxy_or_is_made_up(
    client, remote_addr, sent, kept
):
    response = client.get("/healthz", REMOTE_ADDR=remote_addr, HTTP_X_REQUEST_ID=sent)
    returned = response["X-Request-ID"]
    if kept:
        assert returned == sent
    else:
        assert GENERATED.fullmatch(returned)


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/healthz")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize(
    ("trusted", "remote_addr", "kept"),
    [
        (["10.0.0.0/8"], "10.4.5.6", True),
        (["10.0.0.0/8"], "127.0.0.1", False),
        (["*"], "198.51.100.1", True),
    ],
)
def test_trusted_proxies_may_be_networks_or_anyone(
    client, settings, trusted, remote_addr, kept
):
    settings.TRUSTED_PROXIES = trusted
    response = client.get(
        "/healthz", REMOTE_ADDR=remote_addr, HTTP_X_REQUEST_ID=NGINX_ID
    )
    assert (response["X-Request-ID"] == NGINX_ID) is kept


SERVE_WITH_JSON_LOGS = """
import sys
from wsgiref.util import setup_testing_defaults

from config.wsgi import application

environ = {
    "PATH_INFO": "/nowhere/",
    "QUERY_STRING": "token=0123456789abcdef0123456789abcdef01234567",
    "HTTP_HOST": "testserver",
    "HTTPS": "on",
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_X_REQUEST_ID": sys.argv[1],
    "HTTP_AUTHORIZATION": "Token 0123456789abcdef0123456789abcdef01234567",
}
setup_testing_defaults(environ)
application(environ, lambda status, headers: None)
"""


def test_json_log_lines_carry_the_request_id_and_no_key(run_python):
    """With DJANGO_LOG_FORMAT=json every line is a JSON object; Django's line about
    the request (a 404, which needs no database) has the request's ID, and neither the
    key nor the query string."""
    output = run_python(
        SERVE_WITH_JSON_LOGS,
        NGINX_ID,
        DJANGO_LOG_FORMAT="json",
        DJANGO_LOG_LEVEL="INFO",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    records = [json.loads(line) for line in output.splitlines()]
    not_found = next(r for r in records if r["logger"] == "django.request")
    assert not_found["request_id"] == NGINX_ID
    assert not_found["level"] == "WARNING"
    assert not_found["message"] == "Not Found: /nowhere/"
    assert {"time", "status_code"} <= set(not_found)
    assert "0123456789abcdef" not in output
    assert "request" not in not_found  # the request object, whose repr has the query
