"""Change the password with the token, or reset it with an emailed link: over HTTP,
with the emails read from a real SMTP server (the mailbox fixture)."""

import time
from http import HTTPStatus

import pytest

from .utils import (
    BAD_CREDENTIALS,
    NEW_PASSWORD,
    PASSWORD,
    account_call,
    log_in,
)

pytestmark = pytest.mark.django_db

INVALID_KEY = {"detail": "Invalid token."}
INVALID_LINK = {"token": ["This link is invalid, used, or expired."]}


def example(api_client, key):
    return api_client.get("/api/example/", HTTP_AUTHORIZATION=f"Token {key}")


def change_password(api_client, key, current=PASSWORD, new=NEW_PASSWORD):
    data = {"current_password": current, "new_password": new}
    return account_call(api_client, "change-password", data, key=key)


def test_change_password_gives_a_new_key(api_client, user, mailbox):
    """200 with a new key; the old one is refused at once; the owner is told."""
    old_key = user.auth_token.key
    response = change_password(api_client, old_key)

    assert response.status_code == HTTPStatus.OK
    new_key = response.json()["token"]
    assert new_key != old_key
    assert example(api_client, old_key).json() == INVALID_KEY
    assert example(api_client, new_key).status_code == HTTPStatus.OK
    assert log_in(api_client, user.get_username(), NEW_PASSWORD).status_code == 200
    [notice] = mailbox.to(user.email)
    assert "your password was changed" in notice["Subject"]


@pytest.mark.parametrize(
    ("current", "new", "errors"),
    [
        (
            "not the password",
            NEW_PASSWORD,
            {"current_password": ["Your current password is wrong."]},
        ),
        (
            PASSWORD,
            "short",
            {
                "new_password": [
                    "This password is too short. It must contain at least 8 characters."
                ]
            },
        ),
        (PASSWORD, "", {"new_password": ["This field may not be blank."]}),
    ],
)
def test_a_refused_change_changes_nothing(
    api_client, user, mailbox, current, new, errors
):
    response = change_password(api_client, user.auth_token.key, current, new)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == errors
    assert example(api_client, user.auth_token.key).status_code == HTTPStatus.OK
    assert mailbox.messages == []


def test_reset_with_the_emailed_link(api_client, user, mailbox):
    """202, a link by email; with it, a new password, every key refused, a login."""
    old_key = user.auth_token.key
    asked = account_call(api_client, "request-password-reset", {"email": user.email})
    assert asked.status_code == HTTPStatus.ACCEPTED

    link = mailbox.link(user.email)
    confirmed = account_call(
        api_client, "confirm-password-reset", {**link, "new_password": NEW_PASSWORD}
    )

    assert confirmed.status_code == HTTPStatus.OK
    assert example(api_client, old_key).json() == INVALID_KEY
    assert log_in(api_client, user.get_username(), PASSWORD).json() == BAD_CREDENTIALS
    assert log_in(api_client, user.get_username(), NEW_PASSWORD).status_code == 200
    assert "your password was changed" in mailbox.to(user.email)[-1]["Subject"]


def test_a_reset_link_works_once(api_client, user, mailbox):
    account_call(api_client, "request-password-reset", {"email": user.email})
    body = {**mailbox.link(user.email), "new_password": NEW_PASSWORD}
    assert account_call(api_client, "confirm-password-reset", body).status_code == 200
    again = account_call(api_client, "confirm-password-reset", body)
    assert again.status_code == HTTPStatus.BAD_REQUEST
    assert again.json() == INVALID_LINK


def test_an_expired_reset_link_is_refused(api_client, user, mailbox, settings):
    """Older than DJANGO_PASSWORD_RESET_TIMEOUT: refused, and the password stays."""
    account_call(api_client, "request-password-reset", {"email": user.email})
    settings.PASSWORD_RESET_TIMEOUT = 0
    time.sleep(1.1)
    body = {**mailbox.link(user.email), "new_password": NEW_PASSWORD}
    assert (
        account_call(api_client, "confirm-password-reset", body).json() == INVALID_LINK
    )
    assert log_in(api_client, user.get_username(), PASSWORD).status_code == 200


def test_the_new_password_goes_through_the_validators(api_client, user, mailbox):
    account_call(api_client, "request-password-reset", {"email": user.email})
    body = {**mailbox.link(user.email), "new_password": "12345678"}
    response = account_call(api_client, "confirm-password-reset", body)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "new_password": [
            "This password is too common.",
            "This password is entirely numeric.",
        ]
    }


def test_a_deactivated_user_cannot_reset(api_client, user, mailbox):
    """A link asked for before staff deactivated the user is refused after."""
    account_call(api_client, "request-password-reset", {"email": user.email})
    user.is_active = False
    user.save()
    body = {**mailbox.link(user.email), "new_password": NEW_PASSWORD}
    assert (
        account_call(api_client, "confirm-password-reset", body).json() == INVALID_LINK
    )
    account_call(api_client, "request-password-reset", {"email": user.email})
    assert len(mailbox.to(user.email)) == 1
