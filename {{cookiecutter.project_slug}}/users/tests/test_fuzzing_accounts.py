"""Property-based tests (hypothesis) of the account endpoints: whatever JSON a client
sends, the answer is JSON and never a 5xx; anything but a well-formed request is a 400.
Each example starts with no attempt counted, so that no 429 answers in the code's place."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from .test_fuzzing import FUZZ, JSON_VALUES
from .utils import assert_refused

pytestmark = pytest.mark.django_db

# (route, method, whether it takes the token): every account endpoint with a body.
ENDPOINTS = [
    ("signup", "post", False),
    ("verify-email", "post", False),
    ("resend-verification", "post", False),
    ("request-password-reset", "post", False),
    ("confirm-password-reset", "post", False),
    ("confirm-email-change", "post", False),
    ("me", "patch", True),
    ("me", "delete", True),
    ("change-password", "post", True),
    ("change-email", "post", True),
]
FIELDS = ["email", "username", "password", "uid", "token", "new_password"]
FIELDS += ["current_password", "first_name", "is_staff"]


@FUZZ
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    body=JSON_VALUES
    | st.dictionaries(st.sampled_from(FIELDS) | st.text(), JSON_VALUES, max_size=6),
)
def test_any_json_gets_a_json_answer_never_a_5xx(api_client, user, endpoint, body):
    cache.clear()
    name, method, takes_token = endpoint
    headers = (
        {"HTTP_AUTHORIZATION": f"Token {user.auth_token.key}"} if takes_token else {}
    )
    response = getattr(api_client, method)(
        reverse(f"api:{name}"),
        json.dumps(body),
        content_type="application/json",
        **headers,
    )
    if response.status_code < 300:
        # A well-formed request, which hypothesis finds now and then (a first name).
        assert (name, method) == ("me", "patch"), response.content[:300]
    else:
        assert_refused(response, 400)
