import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

User = get_user_model()

pytestmark = pytest.mark.django_db


def bulk_create_users(count):
    """Create users the way an import does: bulk_create sends no post_save signal."""
    return User.objects.bulk_create(
        User(
            **{
                User.USERNAME_FIELD: f"user{i}@example.com",
                "email": f"user{i}@example.com",
            }
        )
        for i in range(count)
    )


def test_bulk_created_users_have_no_token():
    """The premise: bulk_create bypasses the signal, so these users need the backfill."""
    bulk_create_users(3)
    assert Token.objects.count() == 0


@pytest.mark.parametrize(
    ("users", "batch_size"),
    [(1, 1000), (25, 1000), (25, 7), (25, 1)],
)
def test_backfill_gives_every_user_a_token(users, batch_size, capsys):
    """Every user ends up with exactly one token, whatever the batch size."""
    bulk_create_users(users)

    call_command("backfill_tokens", batch_size=batch_size)

    assert Token.objects.count() == User.objects.count() == users
    assert f"Created {users} token(s)." in capsys.readouterr().out


def test_backfill_keeps_existing_tokens(user):
    """A user who already has a token keeps the same key."""
    key = user.auth_token.key
    bulk_create_users(5)

    call_command("backfill_tokens")

    assert User.objects.get(pk=user.pk).auth_token.key == key
    assert Token.objects.count() == 6


def test_backfill_is_idempotent(capsys):
    """A second run creates nothing."""
    bulk_create_users(4)
    call_command("backfill_tokens")
    keys = set(Token.objects.values_list("key", flat=True))

    call_command("backfill_tokens")

    assert set(Token.objects.values_list("key", flat=True)) == keys
    assert "Created 0 token(s)." in capsys.readouterr().out


def count_backfill_queries(users, batch_size):
    """Queries run by a backfill of `users` new users, in batches of `batch_size`."""
    Token.objects.all().delete()
    User.objects.all().delete()
    bulk_create_users(users)
    with CaptureQueriesContext(connection) as queries:
        call_command("backfill_tokens", batch_size=batch_size)
    assert Token.objects.count() == users
    return len(queries)


def test_backfill_queries_per_batch_not_per_user():
    """500 users cost the same queries as 5 in one batch; a second batch adds a few."""
    one_batch = count_backfill_queries(5, batch_size=1000)
    assert count_backfill_queries(500, batch_size=1000) == one_batch
    assert count_backfill_queries(500, batch_size=250) <= one_batch + 4


@pytest.mark.parametrize("batch_size", ["0", "-5", "many"])
def test_backfill_refuses_a_bad_batch_size(batch_size):
    """A batch size that is not a positive whole number is refused with a message."""
    with pytest.raises(CommandError, match="batch-size"):
        call_command("backfill_tokens", "--batch-size", batch_size)
