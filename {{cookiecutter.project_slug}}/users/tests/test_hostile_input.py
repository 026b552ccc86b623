"""Hostile input at the token endpoints, as a table of named cases: every answer is a
4xx with a JSON body, never a 5xx, and nothing changes as a side effect. test_fuzzing.py
generates such input."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from .utils import PASSWORD, assert_refused, snapshot

User = get_user_model()

pytestmark = pytest.mark.django_db

OBTAIN = reverse("api:obtain-token")
EXAMPLE = reverse("api:example")
LOGOUT = reverse("api:logout")


@pytest.mark.parametrize(
    ("case", "header", "status", "detail"),
    [
        (
            "NUL in key",
            "Token 9944b09199c62bcf\x009418ad846dd0e4bbdfc6ee4b",
            401,
            "Invalid token.",
        ),
        (
            "DEL in key",
            "Token 9944b09199c62bcf\x7f9418ad846dd0e4bbdfc6ee4b",
            401,
            "Invalid token.",
        ),
        (
            "upper-case key",
            "Token 9944B09199C62BCF9418AD846DD0E4BBDFC6EE4B",
            401,
            "Invalid token.",
        ),
        ("key too long", "Token " + "a" * 41, 401, "Invalid token."),
        ("key of 8 KB", "Token " + "a" * 8000, 401, "Invalid token."),
        (
            "SQL in key",
            "Token ' OR '1'='1",
            401,
            "Invalid token header. Token string should not contain spaces.",
        ),
        ("SQL without spaces", "Token '||'1'='1'--", 401, "Invalid token."),
    ],
)
def test_hostile_authorization_headers(api_client, user, case, header, status, detail):
    """Each named hostile Authorization header gets its 401 message (the ordinary
    refusals are test_authentication.py's)."""
    before = snapshot()
    response = api_client.get(EXAMPLE, HTTP_AUTHORIZATION=header)
    assert response.status_code == status, case
    assert response.json() == {"detail": detail}
    assert snapshot() == before


LOGIN_FIELD = User.USERNAME_FIELD


@pytest.mark.parametrize(
    ("case", "body", "content_type", "status"),
    [
        ("broken JSON", '{"password": ', "application/json", 400),
        ("JSON list", '["alice", "password"]', "application/json", 400),
        ("JSON string", '"alice"', "application/json", 400),
        ("JSON null", "null", "application/json", 400),
        (
            "nested object as login",
            json.dumps({LOGIN_FIELD: {"$ne": ""}, "password": PASSWORD}),
            "application/json",
            400,
        ),
        (
            "list as password",
            json.dumps({LOGIN_FIELD: "alice@example.com", "password": [PASSWORD]}),
            "application/json",
            400,
        ),
        (
            "NUL in login",
            json.dumps({LOGIN_FIELD: "alice\x00@example.com", "password": PASSWORD}),
            "application/json",
            400,
        ),
        (
            "NUL in password",
            json.dumps({LOGIN_FIELD: "alice@example.com", "password": "x\x00"}),
            "application/json",
            400,
        ),
        ("deep nesting", "[" * 100_000 + "]" * 100_000, "application/json", 400),
        ("XML", "<login/>", "application/xml", 415),
        ("plain text", "alice:password", "text/plain", 415),
        ("bad multipart", "--x\r\nnot a part", "multipart/form-data; boundary=x", 400),
        ("multipart without boundary", "data", "multipart/form-data", 400),
        ("bad charset", '{"a": 1}', "application/json; charset=nope", 400),
    ],
)
def test_hostile_login_bodies(api_client, user, case, body, content_type, status):
    """Each named malformed login body gets a 4xx with a JSON message."""
    before = snapshot()
    response = api_client.post(OBTAIN, data=body, content_type=content_type)
    assert response.status_code == status, case
    assert_refused(response)
    assert snapshot() == before
