"""Hostile input at the token endpoints: every answer is a 4xx with a JSON body, never a
5xx, and nothing changes as a side effect. First as a table of named cases, then as
property-based tests that generate such input."""

import json
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from .conftest import PASSWORD

User = get_user_model()

pytestmark = pytest.mark.django_db

OBTAIN = reverse("api:obtain-token")
EXAMPLE = reverse("api:example")
LOGOUT = reverse("api:logout")

# What the server accepts as a header value: Latin-1 text without line breaks, up to
# gunicorn's default limit of 8190 bytes a line.
HEADER_TEXT = st.text(
    alphabet=st.characters(
        min_codepoint=0, max_codepoint=255, exclude_characters="\r\n"
    ),
    max_size=8190,
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


def snapshot():
    """Every user and token as stored, to prove nothing changed."""
    return (
        list(User.objects.order_by("pk").values()),
        list(Token.objects.order_by("pk").values_list("key", "user_id", "created")),
    )


def assert_refused(response):
    """A 4xx whose body is JSON (not an HTML error page)."""
    assert HTTPStatus.BAD_REQUEST <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    json.loads(response.content)


@pytest.mark.parametrize(
    ("case", "header", "status", "detail"),
    [
        (
            "no scheme",
            "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
            401,
            "Authentication credentials were not provided.",
        ),
        (
            "bearer",
            "Bearer 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
            401,
            "Authentication credentials were not provided.",
        ),
        (
            "keyword only",
            "Token",
            401,
            "Invalid token header. No credentials provided.",
        ),
        (
            "two words",
            "Token abc def",
            401,
            "Invalid token header. Token string should not contain spaces.",
        ),
        (
            "not UTF-8",
            "Token \xff\xfe\xfd",
            401,
            "Invalid token header. Token string should not contain invalid characters.",
        ),
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
        (
            "unknown key",
            "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
            401,
            "Invalid token.",
        ),
    ],
)
def test_hostile_authorization_headers(api_client, user, case, header, status, detail):
    """Each named malformed or hostile Authorization header gets its 401 message."""
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


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_wrong_methods_on_obtain(api_client, method):
    """Obtain only takes POST; anything else is 405 with a JSON body."""
    response = getattr(api_client, method)(OBTAIN)
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert_refused(response)


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    keyword=st.sampled_from(["Token", "token", "Bearer", "Basic", ""]) | HEADER_TEXT,
    credentials=HEADER_TEXT,
    path=st.sampled_from([EXAMPLE, LOGOUT]),
)
def test_any_authorization_header_is_refused_cleanly(
    api_client, user, keyword, credentials, path
):
    """Whatever the Authorization header holds, the answer is a JSON 4xx, nothing changes."""
    before = snapshot()
    response = api_client.post(path, HTTP_AUTHORIZATION=f"{keyword} {credentials}")
    assert_refused(response)
    assert snapshot() == before


@FUZZ
@given(payload=JSON_VALUES)
def test_any_json_login_is_refused_cleanly(api_client, user, payload):
    """Any JSON value as the login body gets a JSON 4xx and logs nobody in."""
    before = snapshot()
    response = api_client.post(
        OBTAIN, data=json.dumps(payload), content_type="application/json"
    )
    assert_refused(response)
    assert snapshot() == before


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from([LOGIN_FIELD, "username", "password", "email"]) | st.text(),
        st.text(),
    ),
    encoding=st.sampled_from(["multipart", "json"]),
)
def test_any_login_fields_are_refused_cleanly(api_client, user, fields, encoding):
    """Arbitrary login fields, as form or JSON, never log in or break the server."""
    before = snapshot()
    response = api_client.post(OBTAIN, fields, format=encoding)
    assert_refused(response)
    assert snapshot() == before


@FUZZ
@given(
    body=st.binary(max_size=2000),
    content_type=st.text(max_size=60)
    | st.sampled_from(
        [
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=b",
        ]
    ),
)
def test_any_bytes_with_any_content_type_are_refused_cleanly(
    api_client, user, body, content_type
):
    """Raw bytes under any declared content type get a JSON 4xx."""
    before = snapshot()
    response = api_client.generic("POST", OBTAIN, body, content_type)
    assert_refused(response)
    assert snapshot() == before
