import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

User = get_user_model()

pytestmark = pytest.mark.django_db


def test_no_password_or_key_in_the_logs(api_client, user, password, caplog):
    """The whole token flow, logged at DEBUG with SQL logging on, never logs a secret."""
    caplog.set_level(logging.DEBUG)
    connection.force_debug_cursor = True
    try:
        login = {User.USERNAME_FIELD: "alice@example.com", "password": password}
        key = api_client.post(reverse("api:obtain-token"), login).json()["token"]
        api_client.post(reverse("api:obtain-token"), {**login, "password": "wrong!"})
        auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
        api_client.get(reverse("api:example"), **auth)
        api_client.get(reverse("api:example"), HTTP_AUTHORIZATION="Token " + "f" * 40)
        api_client.post(reverse("api:logout"), **auth)
        api_client.get(reverse("api:example"), **auth)
    finally:
        connection.force_debug_cursor = False

    assert caplog.records, "the flow logged nothing: the test would prove nothing"
    assert password not in caplog.text
    assert key not in caplog.text
    assert "f" * 40 not in caplog.text
