from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"

    def ready(self) -> None:
        # Connect the signal receivers.
        from . import signals  # noqa: F401
