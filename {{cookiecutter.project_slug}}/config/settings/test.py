"""Settings for the test suite (pytest-django uses these, see pyproject.toml)."""

from .base import *  # noqa: F403
from .base import STORAGES

# Tests create many users: a fast hasher keeps them quick. Never use it outside tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files as in development: no `collectstatic`, no manifest of hashed names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
