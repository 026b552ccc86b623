from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"

    def ready(self) -> None:
        # Connect the signal receivers, and register the token scheme for the OpenAPI
        # schema before any schema is made (users/api/schema.py).
        from . import signals  # noqa: F401
        from .api import schema  # noqa: F401
