"""What the users app's tests share besides the fixtures (conftest.py, at the top)."""

import json
from http import HTTPStatus

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

User = get_user_model()

PASSWORD = "correct horse battery staple"


def make_user(login, **fields):
    """Create a user whose login (username or email, per USERNAME_FIELD) is `login`."""
    fields = {"email": login, **fields, User.USERNAME_FIELD: login}
    return User.objects.create_user(password=PASSWORD, **fields)


def snapshot():
    """Every user and token as stored, to prove nothing changed."""
    return (
        list(User.objects.order_by("pk").values()),
        list(Token.objects.order_by("pk").values_list("key", "user_id", "created")),
    )


def assert_refused(response, *statuses):
    """One of these statuses (any 4xx if none is given), with a JSON body, not HTML."""
    expected = statuses or range(HTTPStatus.BAD_REQUEST, 500)
    assert response.status_code in expected, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    json.loads(response.content)


def admin_page(response):
    """The HTML of an admin page that loaded."""
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()
