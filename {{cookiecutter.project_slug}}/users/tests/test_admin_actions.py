"""The users' list rotates or revokes the selected users' tokens, for staff who may
change users (users/admin/token_actions.py)."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token

from .utils import admin_page, make_user

pytestmark = pytest.mark.django_db

USERS = "admin:users_user_changelist"


def test_rotate_action_gives_a_new_key(admin_client, user):
    """The users' list rotates the selected users' keys."""
    bob = make_user("bob@example.com")
    old_keys = {user.pk: user.auth_token.key, bob.pk: bob.auth_token.key}
    response = admin_client.post(
        reverse(USERS),
        {"action": "rotate_tokens", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "Rotated 1 token." in admin_page(response)
    assert Token.objects.get(user=user).key != old_keys[user.pk]
    assert Token.objects.get(user=bob).key == old_keys[bob.pk]


def test_revoke_action_deletes_the_selected_users_tokens(admin_client, user):
    """The users' list revokes the selected users' tokens, and no one else's."""
    bob = make_user("bob@example.com")
    response = admin_client.post(
        reverse(USERS),
        {"action": "revoke_tokens", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "Revoked 1 token." in admin_page(response)
    assert not Token.objects.filter(user=user).exists()
    assert Token.objects.filter(user=bob).exists()


def test_token_actions_need_the_right_to_change_users(client, user):
    """Staff who may only view users are offered neither action."""
    viewer = make_user("viewer@example.com", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(viewer)
    html = admin_page(client.get(reverse(USERS)))
    assert "rotate_tokens" not in html
    assert "revoke_tokens" not in html
    response = client.post(
        reverse(USERS), {"action": "revoke_tokens", "_selected_action": [user.pk]}
    )
    assert Token.objects.filter(user=user).exists()
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}
