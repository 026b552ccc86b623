"""Property-based tests (hypothesis) of the token endpoints: whatever a client sends, the
answer is the refusal the endpoint gives to bad input, with a JSON body, never a 5xx, and
nothing changes as a side effect. Each example starts with no attempt counted, so that
the throttles (429) never answer in the code's place."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .utils import assert_refused, snapshot

pytestmark = pytest.mark.django_db

OBTAIN = reverse("api:obtain-token")
EXAMPLE = reverse("api:example")
LOGOUT = reverse("api:logout")
LOGIN_FIELD = get_user_model().USERNAME_FIELD

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
    """Whatever the Authorization header holds, the answer is a JSON 401, nothing changes."""
    cache.clear()
    before = snapshot()
    response = api_client.post(path, HTTP_AUTHORIZATION=f"{keyword} {credentials}")
    assert_refused(response, 401)
    assert snapshot() == before


@FUZZ
@given(payload=JSON_VALUES)
def test_any_json_login_is_refused_cleanly(api_client, user, payload):
    """Any JSON value as the login body gets a JSON 400 and logs nobody in."""
    cache.clear()
    before = snapshot()
    response = api_client.post(
        OBTAIN, data=json.dumps(payload), content_type="application/json"
    )
    assert_refused(response, 400)
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
    """Arbitrary login fields, as form or JSON, get a JSON 400 and log nobody in."""
    cache.clear()
    before = snapshot()
    response = api_client.post(OBTAIN, fields, format=encoding)
    assert_refused(response, 400)
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
    """Raw bytes under any declared content type get a JSON 400, or 415 for a type the
    API does not read."""
    cache.clear()
    before = snapshot()
    response = api_client.generic("POST", OBTAIN, body, content_type)
    assert_refused(response, 400, 415)
    assert snapshot() == before
