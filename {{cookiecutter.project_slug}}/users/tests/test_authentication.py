from http import HTTPStatus
from typing import Any, cast

import pytest
from django.urls import reverse
from rest_framework.authentication import BaseAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory

from .utils import make_user

pytestmark = pytest.mark.django_db

UNKNOWN_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"


def test_token_authenticates(api_client, user):
    """`Authorization: Token <key>` is accepted and the view sees who is calling."""
    response = api_client.get(
        reverse("api:example"), HTTP_AUTHORIZATION=f"Token {user.auth_token.key}"
    )
    assert response.status_code == HTTPStatus.OK
    assert response.json()["id"] == user.pk
    assert response.json()["email"] == "alice@example.com"


def test_request_auth_is_the_token(user):
    """On success request.user is the user and request.auth the Token instance."""
    # The stubs type the setting as the dotted paths it is written with, not the classes.
    token_authentication = cast(
        type[BaseAuthentication], api_settings.DEFAULT_AUTHENTICATION_CLASSES[0]
    )()
    request = APIRequestFactory().get(
        "/", HTTP_AUTHORIZATION=f"Token {user.auth_token.key}"
    )
    # authenticate() answers None only to a request that sends no credentials.
    authenticated_user, auth = cast(
        tuple[Any, Any], token_authentication.authenticate(request)
    )
    assert authenticated_user == user
    assert isinstance(auth, Token)
    assert auth == user.auth_token


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (None, "Authentication credentials were not provided."),
        ("", "Authentication credentials were not provided."),
        ("Token", "Invalid token header. No credentials provided."),
        ("Token ", "Invalid token header. No credentials provided."),
        (
            "Token abc def",
            "Invalid token header. Token string should not contain spaces.",
        ),
        (
            "Token \xff\xfe",
            "Invalid token header. Token string should not contain invalid characters.",
        ),
        (f"Token {UNKNOWN_KEY}", "Invalid token."),
        ("Token {inactive_key}", "User inactive or deleted."),
        ("Bearer {key}", "Authentication credentials were not provided."),
        ("Basic YWxpY2U6cGFzc3dvcmQ=", "Authentication credentials were not provided."),
        ("{key}", "Authentication credentials were not provided."),
    ],
)
def test_refused_credentials_get_401(api_client, user, header, detail):
    """Each bad Authorization header gets 401 with `WWW-Authenticate: Token`."""
    inactive = make_user("inactive@example.com", is_active=False)
    headers = {}
    if header is not None:
        header = header.format(
            key=user.auth_token.key, inactive_key=inactive.auth_token.key
        )
        headers["HTTP_AUTHORIZATION"] = header

    response = api_client.get(reverse("api:example"), **headers)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": detail}


def test_one_query_per_token_request(api_client, user, django_assert_num_queries):
    """A token-authenticated request costs exactly one database query."""
    key = user.auth_token.key
    with django_assert_num_queries(1):
        response = api_client.get(
            reverse("api:example"), HTTP_AUTHORIZATION=f"Token {key}"
        )
    assert response.status_code == HTTPStatus.OK


def test_deleted_token_is_refused_at_once(api_client, user):
    """A token deleted from the database stops working on the next request."""
    key = user.auth_token.key
    user.auth_token.delete()
    response = api_client.get(reverse("api:example"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.parametrize("parameter", ["token", "auth_token", "key", "access_token"])
def test_key_in_the_query_string_is_ignored(api_client, user, parameter):
    """A key in the URL is not a credential: the call stays anonymous."""
    url = f"{reverse('api:example')}?{parameter}={user.auth_token.key}"
    response = api_client.get(url)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {
        "detail": "Authentication credentials were not provided."
    }
