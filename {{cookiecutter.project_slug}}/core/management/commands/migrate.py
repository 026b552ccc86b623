from typing import Any

from django.core.management import call_command
from django.core.management.commands import migrate


class Command(migrate.Command):
    """Django's `migrate`, then `createcachetable`, so that the one set-up step every
    Django project takes also makes the table the throttles count in (CACHES). With
    Redis as the cache there is no table, and createcachetable does nothing."""

    help = f"{migrate.Command.help} Then creates the database cache's table."

    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        # --plan, --check and --prune only report or tidy the migration history.
        if not (options["plan"] or options["check_unapplied"] or options["prune"]):
            call_command(
                "createcachetable",
                database=options["database"],
                verbosity=options["verbosity"],
            )
