"""`manage.py check_task_queue`, the worker's health check: it fails only when a task
due to run has waited too long."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


@task
def nothing() -> None:
    pass


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_an_empty_queue_is_healthy(database_queue):
    call_command("check_task_queue")


def test_a_task_just_queued_is_healthy(database_queue):
    nothing.enqueue()
    call_command("check_task_queue", "--max-wait", "60")


def test_a_task_waiting_too_long_fails_the_check(database_queue):
    result = nothing.enqueue()
    waited = timezone.now() - timedelta(seconds=120)
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=waited)
    with pytest.raises(CommandError, match=r"has waited 12\d s to run"):
        call_command("check_task_queue", "--max-wait", "60")


def test_a_task_that_ran_is_no_longer_waiting(database_queue):
    result = nothing.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(days=1), status="SUCCESSFUL"
    )
    call_command("check_task_queue", "--max-wait", "60")
