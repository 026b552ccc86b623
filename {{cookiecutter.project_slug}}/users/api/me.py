"""The caller's own account, with the token: see it, change the names, delete it,
change the password or the address. The rules are users/accounts.py's."""

from typing import cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from users import accounts
from users.models import User
from users.throttles import (
    AccountEmailThrottle,
    PasswordCheckThrottle,
    SubmittedEmailThrottle,
)

from .account_serializers import (
    ChangePasswordSerializer,
    CurrentPasswordSerializer,
    DetailSerializer,
    EmailSerializer,
    MeSerializer,
)
from .serializers import TokenSerializer, token_answer


@extend_schema_view(
    get=extend_schema(operation_id="me", description="The caller's account."),
    patch=extend_schema(
        operation_id="update_me",
        description="Change the names; the other fields are ignored.",
    ),
    delete=extend_schema(
        operation_id="delete_me",
        description="Delete the account, and its token, with the current password.",
        responses={204: OpenApiResponse(description="Deleted, with its token.")},
    ),
)
class MeView(generics.RetrieveUpdateAPIView[User]):
    """The caller's account: see it, change the names, delete it."""

    serializer_class = MeSerializer
    # DELETE takes the current password (core/schema.py describes it).
    delete_body = CurrentPasswordSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> User:
        # IsAuthenticated (the default permission): the user is never anonymous here.
        return cast(User, self.request.user)

    def get_throttles(self) -> list[BaseThrottle]:
        # Deleting checks the password: count the attempts, as logins are counted.
        return [PasswordCheckThrottle()] if self.request.method == "DELETE" else []

    def delete(self, request: Request) -> Response:
        password = self.delete_body(data=request.data, context={"request": request})
        password.is_valid(raise_exception=True)
        accounts.delete_account(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChangePasswordView(APIView):
    throttle_classes = (PasswordCheckThrottle,)

    @extend_schema(
        operation_id="change_password",
        request={"application/json": ChangePasswordSerializer},
        responses={200: TokenSerializer},
    )
    def post(self, request: Request) -> Response:
        """Change the password with the current one: the key sent stops working at once,
        and the answer carries the new one. The owner is told by email."""
        serializer = ChangePasswordSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        user = cast(User, request.user)
        token = accounts.change_password(
            user, serializer.validated_data["new_password"]
        )
        return Response(token_answer(token))


class ChangeEmailView(APIView):
    # Each request emails an address the caller chose: counted as sign-ups are.
    throttle_classes = (AccountEmailThrottle, SubmittedEmailThrottle)

    @extend_schema(
        operation_id="change_email",
        request={"application/json": EmailSerializer},
        responses={202: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        """Ask for a new address: a link goes to it and a notice to the old one; the
        address changes only when the link is used."""
        serializer = EmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        accounts.request_email_change(
            cast(User, request.user), serializer.validated_data["email"]
        )
        return Response(
            {"detail": _("A link to confirm the new address is on its way to it.")},
            status=status.HTTP_202_ACCEPTED,
        )
