"""What the users app's tests share besides the fixtures (conftest.py, at the top)."""

import json
from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token

User = get_user_model()

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a long and unusual passphrase"
BAD_CREDENTIALS = {"non_field_errors": ["Unable to log in with provided credentials."]}


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


def login_of(email):
    """The login name of the account that sign_up_data(email) makes."""
    return email if User.USERNAME_FIELD == "email" else email.split("@")[0]


def sign_up_data(email, password=NEW_PASSWORD):
    """A sign-up's body, with a username where users log in with one."""
    data = {"email": email, "password": password}
    if User.USERNAME_FIELD == "username":
        data["username"] = login_of(email)
    return data


def account_call(api_client, name, data=None, key=None, method="post"):
    """Call the account endpoint named `name` with a JSON body, and the key if given."""
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
    call = getattr(api_client, method)
    return call(reverse(f"api:{name}"), data, format="json", **headers)


def log_in(api_client, login, password):
    data = {User.USERNAME_FIELD: login, "password": password}
    return api_client.post(reverse("api:obtain-token"), data, format="json")
