from http import HTTPStatus

import pytest
from django.urls import reverse

from .utils import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"password": PASSWORD}, {"username": ["This field is required."]}),
        (
            {"username": "", "password": PASSWORD},
            {"username": ["This field may not be blank."]},
        ),
        (
            {"email": "alice@example.com", "password": PASSWORD},
            {"username": ["This field is required."]},
        ),
    ],
)
def test_login_needs_a_username(api_client, user, data, errors):
    """The login field is `username`; without it the answer names that field."""
    response = api_client.post(reverse("api:obtain-token"), data, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == errors
