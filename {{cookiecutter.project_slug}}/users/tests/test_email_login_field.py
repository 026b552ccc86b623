from http import HTTPStatus

import pytest
from django.urls import reverse

from .utils import PASSWORD

pytestmark = pytest.mark.django_db

MISSING_LOGIN = {"non_field_errors": ['Must include "email" and "password".']}


@pytest.mark.parametrize("field", ["email", "username"])
def test_login_by_email_or_username_field(api_client, user, field):
    """The email goes in `email`, or in `username` for clients written for DRF's docs."""
    response = api_client.post(
        reverse("api:obtain-token"),
        {field: "alice@example.com", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == HTTPStatus.OK
    assert response.json()["token"] == user.auth_token.key


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"password": PASSWORD}, MISSING_LOGIN),
        (
            {"email": "", "password": PASSWORD},
            {"email": ["This field may not be blank."]},
        ),
        (
            {"username": "", "password": PASSWORD},
            {"username": ["This field may not be blank."]},
        ),
    ],
)
def test_login_needs_an_email(api_client, user, data, errors):
    """Without an email (in either field) the answer names what is missing."""
    response = api_client.post(reverse("api:obtain-token"), data, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == errors
