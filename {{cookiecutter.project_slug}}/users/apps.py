from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"

    def ready(self) -> None:
        # Connect the signal receivers; describe the token scheme to the API schema.
        from . import schema, signals  # noqa: F401
