from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from users import tokens


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


class Command(BaseCommand):
    help = (
        "Create a token for every user who has none (users made by bulk_create, "
        "imported, or created before token authentication was added). Safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=tokens.BACKFILL_BATCH_SIZE,
            help=f"Users handled per batch (default: {tokens.BACKFILL_BATCH_SIZE}).",
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        created = tokens.backfill(batch_size=batch_size)
        self.stdout.write(self.style.SUCCESS(f"Created {created} token(s)."))
