from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token, TokenProxy

from users.models import AdminToken

from .utils import admin_page, make_user

User = get_user_model()

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:users_admintoken_changelist"


@pytest.mark.parametrize(
    ("model", "url"),
    [(User, "admin:users_user_changelist"), (AdminToken, CHANGELIST)],
)
def test_users_and_tokens_are_in_the_admin(admin_client, model, url):
    """Users and tokens are registered, and their lists load for staff."""
    assert admin.site.is_registered(model)
    admin_page(admin_client.get(reverse(url)))


def test_drf_token_admin_is_replaced():
    """DRF's own token admin, which shows whole keys, is not registered."""
    assert not admin.site.is_registered(TokenProxy)


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


def test_token_list_shows_a_prefix_only(admin_client, user):
    """The token list shows the first characters of a key, never all of it."""
    key = user.auth_token.key
    html = admin_page(admin_client.get(reverse(CHANGELIST)))
    assert f"{key[:6]}…" in html
    assert key not in html


def test_token_page_shows_a_prefix_only(admin_client, user):
    """A token's own page (read-only) does not show its key either."""
    key = user.auth_token.key
    url = reverse("admin:users_admintoken_change", args=[user.pk])
    html = admin_page(admin_client.get(url))
    assert f"{key[:6]}…" in html
    assert key not in html


def test_tokens_are_found_by_login(admin_client, user):
    """Searching the token list by a user's login finds their token."""
    make_user("bob@example.com")
    html = admin_page(admin_client.get(reverse(CHANGELIST), {"q": "alice"}))
    assert "alice@example.com" in html
    assert "bob@example.com" not in html


def test_add_form_does_not_list_every_user(admin_client):
    """The user is picked by search (autocomplete), not from a <select> of all users."""
    for i in range(30):
        make_user(f"user{i}@example.com")
    html = admin_page(admin_client.get(reverse("admin:users_admintoken_add")))
    assert "admin-autocomplete" in html
    assert "user29@example.com" not in html


def test_staff_can_add_a_token(admin_client):
    """Staff can give a token to a user who has none."""
    carol = make_user("carol@example.com")
    carol.auth_token.delete()
    response = admin_client.post(
        reverse("admin:users_admintoken_add"), {"user": carol.pk}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Token.objects.filter(user=carol).exists()


def test_revoke_from_the_token_admin_page(admin_client, user):
    """The delete button of a token's page revokes it."""
    key = user.auth_token.key
    url = reverse("admin:users_admintoken_delete", args=[user.pk])
    assert key not in admin_page(admin_client.get(url))
    admin_client.post(url, {"post": "yes"})
    assert not Token.objects.filter(key=key).exists()


def test_admin_history_never_holds_a_key(admin_client, user):
    """The admin's log of additions and deletions names users, not keys."""
    key = user.auth_token.key
    url = reverse("admin:users_admintoken_delete", args=[user.pk])
    admin_client.post(url, {"post": "yes"})
    admin_client.post(reverse("admin:users_admintoken_add"), {"user": user.pk})
    reprs = list(LogEntry.objects.values_list("object_repr", "object_id"))
    assert len(reprs) == 2
    new_key = Token.objects.get(user=user).key
    assert all(key not in str(entry) and new_key not in str(entry) for entry in reprs)


def test_token_list_queries_do_not_grow_with_users(
    admin_client, django_assert_max_num_queries
):
    """The token list costs the same few queries for 5 users or 50."""
    for i in range(50):
        make_user(f"user{i}@example.com")
    with django_assert_max_num_queries(12):
        admin_page(admin_client.get(reverse(CHANGELIST)))
