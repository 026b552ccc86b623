"""Where users log in with a username, a taken one is refused at sign-up (400): unlike
an address, a name cannot be kept from the person who chooses it."""

from http import HTTPStatus

import pytest

from .utils import NEW_PASSWORD, account_call

pytestmark = pytest.mark.django_db


def test_a_taken_username_is_refused(api_client, user, mailbox):
    taken = {"username": user.username, "email": "new@example.com"}
    response = account_call(api_client, "signup", {**taken, "password": NEW_PASSWORD})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "username": ["A user with that username already exists."]
    }
    assert mailbox.messages == []


@pytest.mark.parametrize("username", ["", "no spaces allowed", "x" * 151])
def test_a_username_that_cannot_be_one_is_refused(api_client, mailbox, username):
    data = {"username": username, "email": "new@example.com", "password": NEW_PASSWORD}
    response = account_call(api_client, "signup", data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["username"]
