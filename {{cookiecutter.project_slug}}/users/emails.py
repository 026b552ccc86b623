"""The account emails: plain text from templates/users/email/<name>.txt, whose first
line is the subject, sent through the default mailer (MAILERS)."""

from datetime import timedelta
from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.timesince import timeuntil


def send(name: str, to: str, **context: Any) -> None:
    subject, _, body = render_to_string(f"users/email/{name}.txt", context).partition(
        "\n"
    )
    send_mail(subject.strip(), body.strip() + "\n", None, [to])


def lifetime(seconds: int) -> str:
    """How long a link works, in words: "1 hour", "3 days"."""
    now = timezone.now()
    # timeuntil() joins number and unit with a no-break space, for HTML.
    return timeuntil(now + timedelta(seconds=seconds), now).replace("\xa0", " ")
