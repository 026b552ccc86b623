from typing import cast

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from users import tokens
from users.models import User
from users.throttles import LoginNameThrottle, LoginThrottle

from .serializers import (
    LoginErrorSerializer,
    LoginSerializer,
    TokenSerializer,
    UserSerializer,
    token_answer,
)


@method_decorator(never_cache, name="dispatch")
class ObtainTokenView(APIView):
    """Exchange a login and password for the user's token (DRF's `obtain_auth_token`).

    Answers with whose token it is and when it stops working (null if never). The same
    key comes back while it is valid; an expired one is replaced by a new key.
    """

    # Logging in takes no credentials, so none are checked: a key sent along by a client
    # that logged out, or whose token expired, must not turn its next login away.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (LoginThrottle, LoginNameThrottle)

    @extend_schema(
        operation_id="obtain_token",
        # The body is described as JSON only (forms still work): a client generator
        # breaks on one body offered in three encodings.
        # https://github.com/openapi-generators/openapi-python-client/issues/1276
        request={"application/json": LoginSerializer},
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(LoginErrorSerializer, description="Refused login."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token = tokens.issue(serializer.validated_data["user"])
        return Response(token_answer(token))


class LogoutView(APIView):
    """Delete the caller's token: its key is refused from now on, and the next login
    issues a new one."""

    @extend_schema(
        operation_id="logout",
        request=None,
        responses={204: OpenApiResponse(description="Logged out.")},
    )
    def post(self, request: Request) -> Response:
        # IsAuthenticated (the default permission): the user is never anonymous here.
        tokens.revoke(cast(User, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExampleView(APIView):
    """Who is calling: needs a token (or, in the browsable API, a session)."""

    @extend_schema(operation_id="example", responses={200: UserSerializer})
    def get(self, request: Request) -> Response:
        # IsAuthenticated (the default permission): the user is never anonymous here.
        return Response(UserSerializer(cast(User, request.user)).data)
