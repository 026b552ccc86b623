"""The account endpoints that take an emailed link's uid and token: verify the
address, set a new password, take a new address. Each link works once."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from users import accounts
from users.throttles import AccountLinkThrottle

from .account_serializers import (
    ConfirmEmailChangeSerializer,
    ConfirmPasswordResetSerializer,
    VerifyEmailSerializer,
)
from .accounts import AccountView, post_schema


class LinkView(AccountView):
    """Uses an emailed link, once: 400 for one invalid, used or expired."""

    throttle_classes = (AccountLinkThrottle,)


@post_schema("verify_email", status.HTTP_200_OK)
class VerifyEmailView(LinkView):
    """Verify the address with the emailed link: the account can log in."""

    serializer_class = VerifyEmailSerializer

    def post(self, request: Request) -> Response:
        accounts.verify_email(self.validated(request)["user"])
        return Response({"detail": _("Your address is verified: you can log in.")})


@post_schema("confirm_password_reset", status.HTTP_200_OK)
class ConfirmPasswordResetView(LinkView):
    """Set a new password with the emailed link. Every key of the user stops working;
    the next login gets a new one."""

    serializer_class = ConfirmPasswordResetSerializer

    def post(self, request: Request) -> Response:
        data = self.validated(request)
        accounts.reset_password(data["user"], data["new_password"])
        return Response({"detail": _("Your password is changed: log in with it.")})


@post_schema("confirm_email_change", status.HTTP_200_OK)
class ConfirmEmailChangeView(LinkView):
    """Take the new address, with the link that was sent to it."""

    serializer_class = ConfirmEmailChangeSerializer

    def post(self, request: Request) -> Response:
        accounts.change_email(self.validated(request)["user"])
        return Response({"detail": _("Your new address is in use.")})
