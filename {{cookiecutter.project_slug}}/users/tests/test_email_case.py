"""An email address is one login whatever its case: Alice@Example.com and
alice@example.com are the same user, stored once, in lower case."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.contrib.auth import get_user, get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from .utils import NEW_PASSWORD, PASSWORD, make_user

User = get_user_model()

pytestmark = pytest.mark.django_db


def stored_emails():
    return list(User.objects.order_by("pk").values_list("email", flat=True))


def test_addresses_are_stored_in_lower_case():
    """The whole address is lowered, by the manager and by a plain save() alike."""
    user = make_user("Alice@Example.COM")
    User(email="Bob@Example.com").save()
    assert user.email == "alice@example.com"
    assert stored_emails() == ["alice@example.com", "bob@example.com"]


def test_a_second_user_differing_only_in_case_is_refused(user):
    """Creating the same address in other letters fails, and validation says so."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("ALICE@example.com")
    with pytest.raises(ValidationError) as refused:
        User(email="ALICE@example.com").full_clean(exclude=["password"])
    assert "email" in refused.value.message_dict


def test_the_database_refuses_a_differently_cased_duplicate(user):
    """The constraint on the lowered address holds even for SQL that bypasses Django."""
    bob = make_user("bob@example.com")
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE users_user SET email = %s WHERE id = %s",
            ["ALICE@example.com", bob.pk],
        )


def test_admin_add_form_refuses_a_differently_cased_duplicate(client, user):
    """The admin shows the clash as a form error, not a server error."""
    client.force_login(make_user("admin@example.com", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:users_user_add"),
        {
            "email": "ALICE@Example.com",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "email" in response.context["adminform"].form.errors
    assert stored_emails() == ["alice@example.com", "admin@example.com"]


def test_obtain_token_with_another_case(api_client, user):
    """The obtain endpoint finds the user whatever case the address is typed in."""
    response = api_client.post(
        reverse("api:obtain-token"),
        {"email": "ALICE@Example.COM", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == HTTPStatus.OK
    assert response.json()["token"] == user.auth_token.key


def test_admin_login_with_another_case(client):
    """The admin's login form finds the user whatever case the address is typed in."""
    staff = make_user("Alice@Example.com", is_staff=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "aLiCe@eXample.com", "password": PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert get_user(client) == staff


def test_createsuperuser_refuses_a_differently_cased_address(user):
    """createsuperuser says the address is taken, rather than adding a second user."""
    with pytest.raises(CommandError, match="already taken"):
        call_command("createsuperuser", interactive=False, email="ALICE@Example.com")
    call_command(
        "createsuperuser",
        interactive=False,
        email="Root@Example.com",
        stdout=StringIO(),
    )
    assert stored_emails() == ["alice@example.com", "root@example.com"]


def test_changepassword_with_another_case(user, monkeypatch):
    """changepassword finds the user whatever case the address is typed in."""
    monkeypatch.setattr("getpass.getpass", lambda prompt: NEW_PASSWORD)
    call_command("changepassword", "ALICE@Example.com", stdout=StringIO())
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
