"""Sign-up and email verification over HTTP, with the emails read from a real SMTP
server (the mailbox fixture)."""

import time
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model

from .utils import (
    BAD_CREDENTIALS,
    NEW_PASSWORD,
    PASSWORD,
    account_call,
    log_in,
    login_of,
    sign_up_data,
)

User = get_user_model()

pytestmark = pytest.mark.django_db

BOB = "bob@example.com"
SIGNED_UP = {"detail": "Check your inbox: a link to verify the address is on its way."}
INVALID_LINK = {"token": ["This link is invalid, used, or expired."]}


def test_sign_up_verify_then_log_in(api_client, mailbox):
    """202 and no token; no login until the emailed link is used; then the login."""
    response = account_call(api_client, "signup", sign_up_data(BOB))
    assert response.status_code == HTTPStatus.ACCEPTED
    assert response.json() == SIGNED_UP
    assert log_in(api_client, login_of(BOB), NEW_PASSWORD).json() == BAD_CREDENTIALS

    [message] = mailbox.to(BOB)
    assert "verify your email address" in message["Subject"]
    assert "https://" in message.get_content()
    verified = account_call(api_client, "verify-email", mailbox.link(BOB))

    assert verified.status_code == HTTPStatus.OK
    assert log_in(api_client, login_of(BOB), NEW_PASSWORD).status_code == HTTPStatus.OK


def test_a_link_works_once(api_client, mailbox):
    account_call(api_client, "signup", sign_up_data(BOB))
    link = mailbox.link(BOB)
    assert account_call(api_client, "verify-email", link).status_code == HTTPStatus.OK
    used_again = account_call(api_client, "verify-email", link)
    assert used_again.status_code == HTTPStatus.BAD_REQUEST
    assert used_again.json() == INVALID_LINK


def test_an_expired_link_is_refused(api_client, mailbox, settings):
    """Older than DJANGO_EMAIL_VERIFICATION_TIMEOUT: refused; the same link within its
    lifetime works, so the age alone refused it."""
    lifetime = settings.EMAIL_VERIFICATION_TIMEOUT
    account_call(api_client, "signup", sign_up_data(BOB))
    settings.EMAIL_VERIFICATION_TIMEOUT = 0
    time.sleep(1.1)
    expired = account_call(api_client, "verify-email", mailbox.link(BOB))
    assert expired.json() == INVALID_LINK
    settings.EMAIL_VERIFICATION_TIMEOUT = lifetime
    assert (
        account_call(api_client, "verify-email", mailbox.link(BOB)).status_code == 200
    )


def test_a_registered_address_gets_a_notice_not_a_second_account(
    api_client, user, mailbox
):
    response = account_call(api_client, "signup", sign_up_data(user.email))
    assert response.json() == SIGNED_UP
    [notice] = mailbox.to(user.email)
    assert "someone tried to sign up" in notice["Subject"]
    assert "uid=" not in notice.get_content()
    assert User.objects.count() == 1
    assert log_in(api_client, user.get_username(), PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        (
            "short",
            ["This password is too short. It must contain at least 8 characters."],
        ),
        (
            "12345678",
            ["This password is too common.", "This password is entirely numeric."],
        ),
        ("bob@example.com", ["The password is too similar to the email address."]),
    ],
)
def test_passwords_go_through_the_validators(api_client, mailbox, password, messages):
    response = account_call(api_client, "signup", sign_up_data(BOB, password))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"password": messages}
    assert mailbox.messages == []


def test_sign_up_can_be_closed(api_client, user, mailbox, settings):
    """DJANGO_SIGNUP_OPEN=false: a JSON 403; everything else keeps working."""
    settings.SIGNUP_OPEN = False
    response = account_call(api_client, "signup", sign_up_data(BOB))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {"detail": "Sign-up is closed."}
    assert not User.objects.filter(email=BOB).exists()
    assert log_in(api_client, user.get_username(), PASSWORD).status_code == 200


def test_resend_sends_a_new_link_only_while_unverified(api_client, mailbox):
    account_call(api_client, "signup", sign_up_data(BOB))
    account_call(api_client, "resend-verification", {"email": BOB})
    assert len(mailbox.to(BOB)) == 2
    account_call(api_client, "verify-email", mailbox.link(BOB))
    response = account_call(api_client, "resend-verification", {"email": BOB})
    assert response.status_code == HTTPStatus.ACCEPTED
    assert len(mailbox.to(BOB)) == 2


def test_a_deactivated_account_never_comes_back(api_client, mailbox):
    """Deactivated by staff before using its link: the link, a new one and a password
    reset are all refused or never sent, and the account stays inactive."""
    account_call(api_client, "signup", sign_up_data(BOB))
    link = mailbox.link(BOB)
    User.objects.filter(email=BOB).update(is_active=False)

    assert account_call(api_client, "verify-email", link).json() == INVALID_LINK
    account_call(api_client, "resend-verification", {"email": BOB})
    account_call(api_client, "request-password-reset", {"email": BOB})

    assert len(mailbox.to(BOB)) == 1
    assert User.objects.get(email=BOB).is_active is False
