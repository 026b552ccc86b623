"""The email backend of local settings: Django's console backend, printing each message
as its reader would see it. Django builds messages with the email package's default
policy, which sends a body with a line over 78 characters (a link, often) as
quoted-printable: printed raw, the link would be cut and `=` shown as `=3D`."""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class EmailBackend(ConsoleBackend):
    shown_headers: Sequence[str] = ("From", "To", "Subject", "Date")

    def write_message(self, message: EmailMessage) -> None:
        parsed = message.message()
        for name in self.shown_headers:
            self.stream.write(f"{name}: {parsed[name]}\n")
        body = parsed.get_body(preferencelist=("plain",))
        text = body.get_content() if body else ""
        self.stream.write(f"\n{text.rstrip()}\n{'-' * 79}\n")
