from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    # Generic in the stubs only (the types set and read); Django's class is not.
    _EmailField = models.EmailField[str, str]
else:
    _EmailField = models.EmailField


class LowercaseEmailField(_EmailField):
    """An email address in lower case, as saved and as looked up by exact match, so
    that `.get(email="Alice@Example.com")` finds alice@example.com. Every login path
    (authenticate, createsuperuser, changepassword) looks users up that way."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value.lower() if isinstance(value, str) else value
