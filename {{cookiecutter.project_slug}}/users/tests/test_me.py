"""The caller's own account, with the token: see it, change the names, delete it."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from .utils import PASSWORD, account_call

User = get_user_model()

pytestmark = pytest.mark.django_db


def me(api_client, user, method="get", data=None):
    return account_call(api_client, "me", data, key=user.auth_token.key, method=method)


def test_me(api_client, user):
    response = me(api_client, user)
    assert response.status_code == HTTPStatus.OK
    assert response.json()["id"] == user.pk
    assert response.json()["email"] == "alice@example.com"
    assert "password" not in response.json()


def test_update_me_changes_only_the_names(api_client, user):
    """Staff flags, the password, the address and the dates are ignored."""
    changes = {
        "first_name": "Alice",
        "last_name": "Liddell",
        "is_staff": True,
        "is_superuser": True,
        "is_active": False,
        "password": "pbkdf2_sha256$1$salt$hash",
        "email": "mallory@example.com",
        "date_joined": "2000-01-01T00:00:00Z",
        "email_verified": False,
    }
    before = dict(User.objects.values().get(pk=user.pk))

    response = me(api_client, user, "patch", changes)

    assert response.status_code == HTTPStatus.OK
    after = dict(User.objects.values().get(pk=user.pk))
    assert {name for name in after if after[name] != before[name]} == {
        "first_name",
        "last_name",
    }
    assert response.json()["first_name"] == "Alice"


@pytest.mark.parametrize("method", ["put", "post"])
def test_me_is_not_replaced_whole(api_client, user, method):
    assert me(api_client, user, method, {}).status_code == 405


def test_delete_me_with_the_password(api_client, user):
    """204; the user and their key are gone."""
    key = user.auth_token.key
    response = me(api_client, user, "delete", {"current_password": PASSWORD})
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Token.objects.filter(key=key).exists()
    refused = api_client.get("/api/example/", HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"current_password": ["This field is required."]}),
        (
            {"current_password": "not it"},
            {"current_password": ["Your current password is wrong."]},
        ),
    ],
)
def test_delete_me_needs_the_password(api_client, user, data, errors):
    response = me(api_client, user, "delete", data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == errors
    assert User.objects.filter(pk=user.pk).exists()


def test_password_checks_are_counted_per_account(api_client, user, settings):
    """A token cannot be used to guess the password: wrong guesses end in 429."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["password_check"]
    for _ in range(int(rate.split("/")[0])):
        me(api_client, user, "delete", {"current_password": "a guess"})
    response = me(api_client, user, "delete", {"current_password": PASSWORD})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert User.objects.filter(pk=user.pk).exists()
