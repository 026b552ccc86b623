"""Fields for the log records (LOGGING in config/settings/base.py): the ID of the request
being served, the parts of gunicorn's access log line that a log pipeline indexes, and
the task a worker runs."""

import logging
from collections.abc import Mapping
from contextvars import ContextVar

# Set by config.middleware.RequestIDMiddleware at the start of each request.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIDFilter(logging.Filter):
    """Adds `request_id` to each record: the ID of the request being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class AccessLogFields(logging.Filter):
    """gunicorn logs each request with its access log atoms as the record's arguments
    (https://docs.gunicorn.org/en/stable/settings.html#access-log-format): copy the ones
    a log pipeline indexes into fields of their own. The path has no query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if isinstance(atoms, Mapping):
            record.method = atoms["m"]
            record.path = atoms["U"]
            record.status = int(str(atoms["s"]))
            record.duration_ms = int(str(atoms["D"])) / 1000
            request_id = atoms["{x-request-id}o"]
            record.request_id = None if request_id == "-" else request_id
        return True


class TaskFields(logging.Filter):
    """Django logs each task as it starts and ends ("Task id=%s path=%s ..."), its id
    and dotted path the first arguments: copy them into fields of their own. A task's
    own arguments (an address, a link) are never logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.tasks" and isinstance(record.args, tuple):
            record.task_id, record.task_name = record.args[:2]
        return True
