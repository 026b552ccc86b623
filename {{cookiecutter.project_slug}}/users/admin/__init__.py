"""The admin for users and their tokens; importing the modules registers them."""

from . import token_admin, user_admin  # noqa: F401
