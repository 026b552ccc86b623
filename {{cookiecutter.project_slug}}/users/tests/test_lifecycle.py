from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token

from .utils import PASSWORD

User = get_user_model()

pytestmark = pytest.mark.django_db


def login(api_client, password=PASSWORD):
    data = {User.USERNAME_FIELD: "alice@example.com", "password": password}
    return api_client.post(reverse("api:obtain-token"), data, format="json")


def example(api_client, key):
    return api_client.get(reverse("api:example"), HTTP_AUTHORIZATION=f"Token {key}")


def age_token(user, seconds):
    Token.objects.filter(user=user).update(
        created=timezone.now() - timedelta(seconds=seconds)
    )


def test_logout_revokes_the_token(api_client, user):
    """Logout answers 204; the old key then gets 401 "Invalid token."."""
    key = user.auth_token.key
    response = api_client.post(reverse("api:logout"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not Token.objects.filter(user=user).exists()

    refused = example(api_client, key)
    assert refused.status_code == HTTPStatus.UNAUTHORIZED
    assert refused.json() == {"detail": "Invalid token."}


def test_login_after_logout_issues_a_new_key(api_client, user):
    """The next login after a logout gets a different key, which works."""
    old_key = user.auth_token.key
    api_client.post(reverse("api:logout"), HTTP_AUTHORIZATION=f"Token {old_key}")

    new_key = login(api_client).json()["token"]

    assert new_key != old_key
    assert example(api_client, new_key).status_code == HTTPStatus.OK


def test_logout_only_accepts_post(api_client, user):
    """GET on logout does not log out."""
    key = user.auth_token.key
    response = api_client.get(reverse("api:logout"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert Token.objects.filter(key=key).exists()


def test_obtain_says_when_the_token_expires(api_client, user, settings):
    """The obtain response carries the expiry: created + DJANGO_TOKEN_TTL."""
    body = login(api_client).json()
    token = Token.objects.get(key=body["token"])
    expected = token.created + timedelta(seconds=settings.TOKEN_TTL)
    assert parse_datetime(body["expires"]) == expected


def test_expired_token_is_refused(api_client, user, settings):
    """A token older than its lifetime gets 401 saying it expired."""
    age_token(user, settings.TOKEN_TTL + 1)
    response = example(api_client, user.auth_token.key)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Token has expired."}


def test_token_just_before_expiry_works(api_client, user, settings):
    """A token one minute short of its lifetime is still accepted."""
    age_token(user, settings.TOKEN_TTL - 60)
    assert example(api_client, user.auth_token.key).status_code == HTTPStatus.OK


def test_login_replaces_an_expired_token(api_client, user, settings):
    """Logging in with an expired token gives a new key; a valid one is returned as is."""
    valid_key = login(api_client).json()["token"]
    assert valid_key == user.auth_token.key

    age_token(user, settings.TOKEN_TTL + 1)
    new_key = login(api_client).json()["token"]

    assert new_key != valid_key
    assert example(api_client, new_key).status_code == HTTPStatus.OK
    assert example(api_client, valid_key).status_code == HTTPStatus.UNAUTHORIZED


def test_ttl_zero_means_never(api_client, user, settings):
    """With DJANGO_TOKEN_TTL=0 an old token still works and `expires` is null."""
    settings.TOKEN_TTL = 0
    age_token(user, 10 * 365 * 24 * 3600)
    assert example(api_client, user.auth_token.key).status_code == HTTPStatus.OK
    assert login(api_client).json()["expires"] is None


def test_new_password_invalidates_the_key(api_client, user):
    """set_password() and save() refuse the old key at once."""
    key = user.auth_token.key
    user.set_password("a brand new password")
    user.save()
    assert example(api_client, key).json() == {"detail": "Invalid token."}
    assert login(api_client, "a brand new password").json()["token"] != key


def test_other_changes_keep_the_key(api_client, user):
    """Saving a user without a new password, or recording a login, keeps the key."""
    key = user.auth_token.key
    user.first_name = "Alice"
    user.save()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert example(api_client, key).status_code == HTTPStatus.OK


def test_changepassword_command_invalidates_the_key(api_client, user, monkeypatch):
    """`manage.py changepassword` refuses the old key at once."""
    key = user.auth_token.key
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "another long password")
    call_command("changepassword", user.get_username(), stdout=None)
    assert example(api_client, key).status_code == HTTPStatus.UNAUTHORIZED


def test_deactivated_user_is_refused(api_client, user):
    """Deactivating a user refuses their key."""
    key = user.auth_token.key
    user.is_active = False
    user.save()
    assert example(api_client, key).json() == {"detail": "User inactive or deleted."}
