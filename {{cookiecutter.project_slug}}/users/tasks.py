"""The account flows' steps that depend on whether an address is registered, as Django
tasks: the request that asks for one only enqueues it (accounts.py), so that its answer,
and how long it takes, are the same either way. Local settings run them at once; in
production a worker does (TASKS). Arguments are plain values, stored as JSON.
https://docs.djangoproject.com/en/6.1/topics/tasks/
"""

import logging

from django.db import IntegrityError, transaction
from django.tasks import task

from . import emails, links
from .models import User

logger = logging.getLogger(__name__)


def registered(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def send_link(name: str, to: str, link: links.Link, user: User, **context: str) -> None:
    """Email `to` the link made for `user`, and how long it works."""
    lifetime = emails.lifetime(link.lifetime)
    emails.send(name, to, email=to, link=link.url(user), lifetime=lifetime, **context)


@task
def sign_up(
    email: str,
{%- if cookiecutter.username_type == "username" %}
    username: str,
{%- endif %}
    password: str,
) -> None:
    """Make the account, unverified, and send its link; or tell the address's owner
    that someone tried, and make nothing. `password` is already hashed."""
    if registered(email):
        emails.send("signup_existing", email, email=email)
        return
    user = User(
        email=email,
{%- if cookiecutter.username_type == "username" %}
        username=username,
{%- endif %}
        password=password,
        email_verified=False,
    )
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Another sign-up took the address or the name since this one was answered.
        logger.warning("Sign-up dropped: its address or name was taken meanwhile")
        return
    send_link("verify_email", user.email, links.VERIFY_EMAIL, user)


@task
def resend_verification(email: str) -> None:
    user = registered(email)
    if user and user.is_active and not user.email_verified:
        send_link("verify_email", user.email, links.VERIFY_EMAIL, user)


@task
def send_password_reset(email: str) -> None:
    user = registered(email)
    if user and user.is_active and user.has_usable_password():
        send_link("reset_password", user.email, links.RESET_PASSWORD, user)


@task
def send_password_changed(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user and user.email:
        emails.send("password_changed", user.email, email=user.email)


@task
def request_email_change(user_id: int, new_email: str) -> None:
    """Keep the new address aside and send it its link, with a notice to the old one;
    an address another account has is left alone."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or registered(new_email):
        return
    user.pending_email = new_email
    user.save(update_fields=["pending_email"])
    send_link("confirm_email", new_email, links.CONFIRM_EMAIL, user)
    if user.email:
        emails.send(
            "email_change_requested", user.email, email=user.email, new_email=new_email
        )
