"""Production's HTTPS rules, error bodies and security headers, through the test client
with production's switches turned on."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HTTPS_REQUIRED = {"detail": "HTTPS is required."}


@pytest.fixture
def https_only(settings):
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.parametrize(
    ("method", "route"),
    [("get", "api:example"), ("post", "api:obtain-token"), ("post", "api:logout")],
)
def test_api_over_plain_http_is_refused(https_only, api_client, user, method, route):
    """An API call over plain HTTP gets a JSON 403, not a redirect, and no data."""
    response = getattr(api_client, method)(
        reverse(route), HTTP_AUTHORIZATION=f"Token {user.auth_token.key}"
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == HTTPS_REQUIRED


@pytest.mark.parametrize("path", ["/admin/login/", "/api-auth/login/"])
def test_pages_over_plain_http_redirect(https_only, client, path):
    """Pages for browsers are redirected to HTTPS."""
    response = client.get(path)
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == f"https://testserver{path}"


def test_api_over_https_is_served(https_only, api_client, user):
    """The same call over HTTPS is answered."""
    response = api_client.get(
        reverse("api:example"),
        secure=True,
        HTTP_AUTHORIZATION=f"Token {user.auth_token.key}",
    )
    assert response.status_code == HTTPStatus.OK


def test_spoofed_forwarded_proto_is_not_secure(https_only, api_client, user):
    """X-Forwarded-Proto alone does not make a request secure (gunicorn decides)."""
    response = api_client.get(
        reverse("api:example"),
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_AUTHORIZATION=f"Token {user.auth_token.key}",
    )
    assert response.json() == HTTPS_REQUIRED


@pytest.mark.parametrize(
    ("path", "host", "status", "detail"),
    [
        ("/no/such/page/", "testserver", 404, "Not found."),
        ("/api/example/", "evil.example.net", 400, "Bad request."),
    ],
)
def test_errors_outside_the_api_are_json(client, path, host, status, detail):
    """An unknown URL or Host gets a JSON body like the API's errors, not HTML."""
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}


def test_token_responses_are_not_stored(api_client, user):
    """The obtain answer carries Cache-Control: no-store."""
    response = api_client.post(
        reverse("api:obtain-token"),
        {"username": "x", "password": "y"},
    )
    assert "no-store" in response["Cache-Control"]


def test_api_responses_have_the_strict_policy(api_client, user):
    """JSON responses forbid everything: default-src 'none'; frame-ancestors 'none'."""
    response = api_client.get(
        reverse("api:example"), HTTP_AUTHORIZATION=f"Token {user.auth_token.key}"
    )
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "base-uri 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_pages_have_a_policy_that_lets_them_work(client):
    """The admin's HTML may load its own scripts and styles, nothing from elsewhere."""
    response = client.get("/admin/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
