import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

User = get_user_model()

PASSWORD = "correct horse battery staple"


def make_user(login, **fields):
    """Create a user whose login (username or email, per USERNAME_FIELD) is `login`."""
    fields = {"email": login, **fields, User.USERNAME_FIELD: login}
    return User.objects.create_user(password=PASSWORD, **fields)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    return make_user("alice@example.com")
