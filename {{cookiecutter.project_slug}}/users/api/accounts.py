"""The account endpoints that ask for an email and take no token: sign up, a new link,
a password reset. They answer the same whether or not the address is registered (the
rules are users/accounts.py's); confirmations.py has those that take the links."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from users import accounts
from users.throttles import AccountEmailThrottle, SubmittedEmailThrottle

from .account_serializers import DetailSerializer, EmailSerializer, SignupSerializer


class SignupIsOpen(permissions.BasePermission):
    message = _("Sign-up is closed.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(settings.SIGNUP_OPEN)


class AccountView(APIView):
    """An account endpoint that takes no token; serializer_class checks its body."""

    authentication_classes = ()
    permission_classes: tuple[type[permissions.BasePermission], ...] = (
        permissions.AllowAny,
    )
    serializer_class: type[Serializer[Any]]

    def validated(self, request: Request) -> dict[str, Any]:
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        return data


def post_schema[View: AccountView](
    operation_id: str, answer: int
) -> Callable[[type[View]], type[View]]:
    """The view's POST in the schema: its operation, the JSON body its serializer_class
    checks, its answer (a 400 for a refused body comes with every operation that takes
    one: core/schema.py)."""

    def describe(view: type[View]) -> type[View]:
        post = extend_schema(
            operation_id=operation_id,
            request={"application/json": view.serializer_class},
            responses={answer: DetailSerializer},
        )
        return extend_schema_view(post=post)(view)

    return describe


class EmailView(AccountView):
    """Asks for an email about an address: 202 with one answer, whether or not it is
    registered (the task decides what to send); throttled per client and per address."""

    serializer_class: type[Serializer[Any]] = EmailSerializer
    throttle_classes = (AccountEmailThrottle, SubmittedEmailThrottle)
    answer: str | Promise

    def post(self, request: Request) -> Response:
        self.ask(**self.validated(request))
        return Response({"detail": self.answer}, status=status.HTTP_202_ACCEPTED)

    def ask(self, email: str, **fields: str) -> None:
        raise NotImplementedError


@post_schema("signup", status.HTTP_202_ACCEPTED)
class SignupView(EmailView):
    """Ask for an account: a link to verify the address is emailed, and the account can
    log in once it is used; no token until then. DJANGO_SIGNUP_OPEN=false closes it."""

    serializer_class = SignupSerializer
    # Anyone, while DJANGO_SIGNUP_OPEN is true (the schema says "no credentials").
    permission_classes = (permissions.AllowAny, SignupIsOpen)
    answer = _("Check your inbox: a link to verify the address is on its way.")

    def ask(self, email: str, **fields: str) -> None:
        accounts.sign_up(email, **fields)


@post_schema("resend_verification", status.HTTP_202_ACCEPTED)
class ResendVerificationView(EmailView):
    """Send the link again, to an account that has not verified its address yet."""

    answer = _("If an account waits for this address, a new link is on its way.")

    def ask(self, email: str, **fields: str) -> None:
        accounts.resend_verification(email)


@post_schema("request_password_reset", status.HTTP_202_ACCEPTED)
class RequestPasswordResetView(EmailView):
    """Email a link to choose a new password, if an account has this address."""

    answer = _("If an account has this address, a link to reset it is on its way.")

    def ask(self, email: str, **fields: str) -> None:
        accounts.request_password_reset(email)
