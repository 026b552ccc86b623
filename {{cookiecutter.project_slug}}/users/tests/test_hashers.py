"""Passwords are hashed with Argon2; those hashed before with PBKDF2 still log in, and
are hashed again with Argon2 then (PASSWORD_HASHERS in config/settings/base.py)."""

import pytest
from django.contrib.auth.hashers import make_password

from config.settings import base

from .utils import PASSWORD, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    # The test settings hash with MD5, for speed.
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_new_passwords_are_hashed_with_argon2(production_hashers, user):
    user.set_password(PASSWORD)
    user.save()
    assert user.password.startswith("argon2$argon2id$")


def test_a_pbkdf2_password_logs_in_and_is_upgraded(
    production_hashers, api_client, user
):
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    response = log_in(api_client, user.get_username(), PASSWORD)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    # As with Django's own sessions, the new hash replaces the key: the login
    # that upgraded it answers with the new one.
    assert response.json()["token"] == user.auth_token.key
