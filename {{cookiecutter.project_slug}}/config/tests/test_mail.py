"""config/mail.py: local settings print each email as its reader would see it."""

import io

from django.core.mail import EmailMessage

from config.mail import EmailBackend

LINK = "https://app.example.com/verify-email?uid=Mg&token=" + "0123456789abcdef" * 4


def test_a_long_link_is_printed_whole():
    """Django's own console backend would print it quoted-printable: cut, with `=3D`."""
    stream = io.StringIO()
    message = EmailMessage(
        "Verify", f"Open this link:\n\n{LINK}\n", to=["bob@example.com"]
    )
    EmailBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert LINK in printed.splitlines()
    assert "Subject: Verify" in printed
    assert "To: bob@example.com" in printed
