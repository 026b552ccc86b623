import pytest
from django.core import serializers
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from .utils import make_user

pytestmark = pytest.mark.django_db


def test_new_user_gets_a_token():
    """Creating a user creates their token."""
    user = make_user("bob@example.com")
    assert Token.objects.get(user=user).key


def test_saving_again_keeps_the_token(user):
    """Saving an existing user neither adds nor replaces their token."""
    key = user.auth_token.key
    user.first_name = "Alice"
    user.save()
    assert list(Token.objects.filter(user=user).values_list("key", flat=True)) == [key]


def test_loaddata_keeps_the_fixture_token(user, tmp_path):
    """Loading a user together with their token keeps that token (no IntegrityError)."""
    user_pk, key = user.pk, user.auth_token.key
    fixture = tmp_path / "users.json"
    fixture.write_text(serializers.serialize("json", [user, user.auth_token]))
    user.delete()

    call_command("loaddata", fixture, verbosity=0)

    assert Token.objects.get(user__pk=user_pk).key == key


def test_loaddata_can_be_repeated(user, tmp_path):
    """Loading the same fixture twice leaves one user with one unchanged token."""
    fixture = tmp_path / "users.json"
    fixture.write_text(serializers.serialize("json", [user, user.auth_token]))

    call_command("loaddata", fixture, verbosity=0)
    call_command("loaddata", fixture, verbosity=0)

    assert list(Token.objects.values_list("key", flat=True)) == [user.auth_token.key]
