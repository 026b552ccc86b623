from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    """The task worker's health check (compose.yaml, deploy/kubernetes/worker.yaml): a
    worker process that exists proves nothing, a queue that drains does. Fails when a
    task due to run has waited longer than --max-wait seconds (or the database does
    not answer): the workers are stuck, or too few."""

    help = "Exit 1 if a task due to run has waited longer than --max-wait seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-wait", type=int, default=300, help="seconds")

    def handle(self, *args: Any, max_wait: int, **options: Any) -> None:
        waiting = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if waiting is None:
            return
        waited = timezone.now() - waiting.enqueued_at
        if waited > timedelta(seconds=max_wait):
            raise CommandError(
                f"Task {waiting.id} has waited {waited.total_seconds():.0f} s to run."
            )
