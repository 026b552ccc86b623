from django.contrib.auth.models import AbstractUser

# Defined apart, the same for every kind of user; imported here so Django registers it.
from .admin_token import AdminToken  # noqa: F401


class User(AbstractUser):
    """Django's user, in a model of our own so that fields can be added later.

    https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#using-a-custom-user-model-when-starting-a-project
    """
