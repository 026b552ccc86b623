from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app's API shares: the JSON parser, the throttles' base, the errors the
    schema documents, and `migrate`, which also makes the cache table. It imports no
    other app of the project, so any app may import it."""

    name = "core"
