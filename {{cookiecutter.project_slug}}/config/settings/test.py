"""Settings for the test suite (pytest-django uses these, see pyproject.toml)."""

from .base import *  # noqa: F403

# Tests create many users: a fast hasher keeps them quick. Never use it outside tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
