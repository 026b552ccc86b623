"""The rules about tokens, in one place: views, signals, admin and commands call these."""

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token


def issue(user):
    """Return the user's token, creating it if they have none."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


def backfill(batch_size=1000):
    """Create a token for every user who has none; return how many were created.

    Works in batches of `batch_size` users, a few queries each, and is safe to run
    again or alongside the signal: a user who gained a token meanwhile keeps it.
    """
    users_without_token = get_user_model().objects.filter(auth_token__isnull=True)
    next_batch = users_without_token.order_by("pk").values_list("pk", flat=True)
    before = Token.objects.count()
    while user_ids := list(next_batch[:batch_size]):
        Token.objects.bulk_create(
            [Token(key=Token.generate_key(), user_id=pk) for pk in user_ids],
            ignore_conflicts=True,
        )
    return Token.objects.count() - before
