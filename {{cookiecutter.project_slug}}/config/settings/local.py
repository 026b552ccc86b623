"""Settings for local development: `manage.py` uses these by default."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SPECTACULAR_SETTINGS

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = True

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "localhost", "127.0.0.1", "[::1]"]

# API docs open to everyone on your machine.
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}

# Email is printed in runserver's output instead of being sent (config/mail.py), and
# tasks (the account emails among them) run at once: base.py's TASKS.
MAILERS = {
    "default": {
        "BACKEND": "config.mail.EmailBackend",
    },
}
