"""The account rules, in plain functions the views call. What depends on whether an
address is registered is left to a task (tasks.py), so that no answer tells it."""

from django.contrib.auth.hashers import make_password
from rest_framework.authtoken.models import Token

from . import tasks, tokens
from .models import User


def sign_up(email: str, password: str, **fields: str) -> None:
    """Ask for an account. The password is hashed here, whatever the address, so that
    every sign-up costs the same; the task makes the account or tells the owner."""
    tasks.sign_up.enqueue(email=email, password=make_password(password), **fields)


def verify_email(user: User) -> None:
    user.email_verified = True
    user.save(update_fields=["email_verified"])


def resend_verification(email: str) -> None:
    tasks.resend_verification.enqueue(email=email)


def change_password(user: User, password: str) -> Token:
    """Set the new password (the old key is revoked at once: signals.py) and return a
    new token; the owner is told by email."""
    user.set_password(password)
    user.save()
    tasks.send_password_changed.enqueue(user_id=user.pk)
    return tokens.issue(user)


def request_password_reset(email: str) -> None:
    tasks.send_password_reset.enqueue(email=email)


def reset_password(user: User, password: str) -> None:
    """Set the new password from a reset link, which also proves the address; every key
    of the user is revoked (signals.py), and the owner is told by email."""
    user.set_password(password)
    user.email_verified = True
    user.save()
    tasks.send_password_changed.enqueue(user_id=user.pk)


def request_email_change(user: User, email: str) -> None:
    tasks.request_email_change.enqueue(user_id=user.pk, new_email=email)


def change_email(user: User) -> None:
    """Take the new address the confirmed link was sent to."""
    user.email, user.pending_email = user.pending_email, ""
    user.save(update_fields=["email", "pending_email"])


def delete_account(user: User) -> None:
    """Delete the user, and with them their token."""
    user.delete()
