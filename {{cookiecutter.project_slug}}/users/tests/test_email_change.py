"""A new address, with the token: a link goes to it and a notice to the old one; the
address changes only when the link is used. Emails read from a real SMTP server."""

import time
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model

from .utils import account_call, make_user

User = get_user_model()

pytestmark = pytest.mark.django_db

NEW = "alice@new.example.com"
INVALID_LINK = {"token": ["This link is invalid, used, or expired."]}


def change_email(api_client, user, address=NEW):
    key = user.auth_token.key
    return account_call(api_client, "change-email", {"email": address}, key=key)


def test_the_address_changes_when_the_link_is_used(api_client, user, mailbox):
    response = change_email(api_client, user)
    assert response.status_code == HTTPStatus.ACCEPTED
    [notice] = mailbox.to("alice@example.com")
    assert NEW in notice.get_content()
    assert "uid=" not in notice.get_content()
    user.refresh_from_db()
    assert user.email == "alice@example.com"

    confirmed = account_call(api_client, "confirm-email-change", mailbox.link(NEW))

    assert confirmed.status_code == HTTPStatus.OK
    user.refresh_from_db()
    assert (user.email, user.pending_email) == (NEW, "")


def test_a_link_works_once(api_client, user, mailbox):
    change_email(api_client, user)
    link = mailbox.link(NEW)
    assert account_call(api_client, "confirm-email-change", link).status_code == 200
    assert account_call(api_client, "confirm-email-change", link).json() == INVALID_LINK


def test_an_expired_link_is_refused(api_client, user, mailbox, settings):
    change_email(api_client, user)
    settings.EMAIL_CHANGE_TIMEOUT = 0
    time.sleep(1.1)
    assert (
        account_call(api_client, "confirm-email-change", mailbox.link(NEW)).json()
        == INVALID_LINK
    )
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_a_later_request_spends_the_earlier_link(api_client, user, mailbox):
    change_email(api_client, user)
    first = mailbox.link(NEW)
    change_email(api_client, user, "alice@other.example.com")
    assert (
        account_call(api_client, "confirm-email-change", first).json() == INVALID_LINK
    )


def test_an_address_another_account_has_is_left_alone(api_client, user, mailbox):
    """The same answer; no link to the address, no change."""
    make_user(NEW)
    assert change_email(api_client, user).status_code == HTTPStatus.ACCEPTED
    assert mailbox.to(NEW) == []
    user.refresh_from_db()
    assert user.pending_email == ""


def test_an_address_taken_before_the_link_is_used_is_refused(api_client, user, mailbox):
    change_email(api_client, user)
    make_user(NEW)
    response = account_call(api_client, "confirm-email-change", mailbox.link(NEW))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"token": ["Another account uses this address now."]}


def test_requests_for_one_address_are_counted(api_client, user, mailbox, settings):
    """Each request emails an address the caller picked: counted per address, so that
    no token can be used to flood someone's inbox."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["account_email_address"]
    for _ in range(int(rate.split("/")[0])):
        assert change_email(api_client, user).status_code == HTTPStatus.ACCEPTED
    assert change_email(api_client, user).status_code == HTTPStatus.TOO_MANY_REQUESTS
