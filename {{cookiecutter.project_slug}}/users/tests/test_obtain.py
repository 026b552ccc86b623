from datetime import datetime
from http import HTTPStatus
from typing import cast

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token

from users import tokens

from .utils import BAD_CREDENTIALS, PASSWORD, assert_refused, make_user

User = get_user_model()
LOGIN = User.USERNAME_FIELD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("content_type", ["json", "multipart", "form"])
def test_obtain_token(api_client, user, content_type):
    """A valid login and password, as JSON or form data, return the user's token."""
    data = {LOGIN: "alice@example.com", "password": PASSWORD}
    if content_type == "form":
        response = api_client.post(
            reverse("api:obtain-token"),
            data=f"{LOGIN}=alice%40example.com&password={PASSWORD.replace(' ', '+')}",
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = api_client.post(
            reverse("api:obtain-token"), data, format=content_type
        )

    assert response.status_code == HTTPStatus.OK
    token = Token.objects.get(user=user)
    assert response.json() == {
        "token": token.key,
        "user_id": user.pk,
        "email": "alice@example.com",
        # Tokens expire by default (DJANGO_TOKEN_TTL), so expires_at() is never None.
        "expires": cast(datetime, tokens.expires_at(token))
        .isoformat()
        .replace("+00:00", "Z"),
    }


def test_obtain_returns_the_same_token_each_time(api_client, user):
    """Logging in twice returns the same key, as DRF's obtain_auth_token does."""
    data = {LOGIN: "alice@example.com", "password": PASSWORD}
    first = api_client.post(reverse("api:obtain-token"), data, format="json")
    second = api_client.post(reverse("api:obtain-token"), data, format="json")
    assert first.json()["token"] == second.json()["token"] == user.auth_token.key


def test_obtain_creates_a_missing_token(api_client, user):
    """A user without a token (say, imported) gets one on login."""
    user.auth_token.delete()
    data = {LOGIN: "alice@example.com", "password": PASSWORD}
    response = api_client.post(reverse("api:obtain-token"), data, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["token"] == Token.objects.get(user=user).key


@pytest.mark.parametrize(
    ("case", "login", "password"),
    [
        ("wrong password", "alice@example.com", "not the password"),
        ("unknown user", "nobody@example.com", PASSWORD),
        ("inactive user", "inactive@example.com", PASSWORD),
    ],
)
def test_refused_logins_look_alike(api_client, user, case, login, password):
    """Wrong password, unknown user and inactive user get one identical answer."""
    make_user("inactive@example.com", is_active=False)
    response = api_client.post(
        reverse("api:obtain-token"), {LOGIN: login, "password": password}, format="json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST, case
    assert response.json() == BAD_CREDENTIALS


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({LOGIN: "alice@example.com"}, {"password": ["This field is required."]}),
        (
            {LOGIN: "alice@example.com", "password": ""},
            {"password": ["This field may not be blank."]},
        ),
    ],
)
def test_missing_password_is_refused(api_client, user, data, errors):
    """A missing or blank password gets 400 naming the password field."""
    response = api_client.post(reverse("api:obtain-token"), data, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == errors


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_wrong_methods_on_obtain(api_client, method):
    """Obtain only takes POST; anything else is 405 with a JSON body, not a token."""
    response = getattr(api_client, method)(reverse("api:obtain-token"))
    assert_refused(response, HTTPStatus.METHOD_NOT_ALLOWED)
