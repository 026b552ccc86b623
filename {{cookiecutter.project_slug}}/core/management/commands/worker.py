import logging
import time
from typing import Any

from django.db import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    """The task worker: django-tasks-db's `db_worker`, which stops at its first database
    error. A database that restarts (maintenance, a failover) costs this worker a few
    seconds' wait, not its process, so that no supervisor's back-off delays the tasks
    still queued once the database is back."""

    help = f"{db_worker.Command.help}, through a database that restarts."
    retry_after_seconds = 5

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                return super().handle(*args, **options)
            except (InterfaceError, OperationalError) as error:
                logger.warning(
                    "The database does not answer (%s); the worker starts again in %d s",
                    error,
                    self.retry_after_seconds,
                )
                time.sleep(self.retry_after_seconds)
