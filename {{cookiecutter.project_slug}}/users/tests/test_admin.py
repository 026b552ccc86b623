from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import TokenProxy

from .conftest import make_user

User = get_user_model()

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("admin@example.com", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", [User, TokenProxy])
def test_users_and_tokens_are_in_the_admin(admin_client, model):
    """Users and tokens are registered, and their lists load for staff."""
    assert admin.site.is_registered(model)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(url).status_code == HTTPStatus.OK


def test_staff_can_add_a_user_who_then_has_a_token(admin_client):
    """A user added in the admin gets a token like any other new user."""
    login = {User.USERNAME_FIELD: "carol@example.com"}
    response = admin_client.post(
        reverse("admin:users_user_add"),
        {
            **login,
            "usable_password": "true",
            "password1": "a long and unusual password",
            "password2": "a long and unusual password",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get(**login).auth_token.key
