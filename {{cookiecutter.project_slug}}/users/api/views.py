from collections.abc import Sequence
from typing import Any, cast

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from users import tokens
from users.models import User
from users.throttles import LoginNameThrottle, LoginThrottle

from .responses import LoginErrorSerializer, TokenSerializer
from .schema import COMMON_ERRORS, TOKEN_ERRORS, error
from .serializers import LoginSerializer, UserSerializer


@method_decorator(never_cache, name="dispatch")
class ObtainTokenView(ObtainAuthToken):
    """Exchange a login and password for the user's token (the seed's `obtain_auth_token`).

    Answers with whose token it is and when it stops working (null if never). The same
    key comes back while it is valid; an expired one is replaced by a new key.
    """

    serializer_class = LoginSerializer
    # Logging in takes no credentials, so none are checked: a key sent along by a client
    # that logged out, or whose token expired, must not turn its next login away.
    authentication_classes = ()
    throttle_classes = (LoginThrottle, LoginNameThrottle)
    # DRF's view lists its own parsers; use the project's (users/api/parsers.py). The
    # stubs type the setting as the dotted paths it is written with, not the classes.
    parser_classes = cast(
        Sequence[type[BaseParser]], api_settings.DEFAULT_PARSER_CLASSES
    )

    @extend_schema(
        operation_id="obtain_token",
        # The body is described as JSON only (forms still work): a client generator
        # breaks on one body offered in three encodings.
        # https://github.com/openapi-generators/openapi-python-client/issues/1276
        request={"application/json": LoginSerializer},
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(LoginErrorSerializer, description="Refused login."),
            415: error("A body that is not JSON, form data or multipart."),
            **COMMON_ERRORS,
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token = tokens.issue(user)
        answer = {
            "token": token.key,
            "user_id": user.pk,
            "email": user.email,
            "expires": tokens.expires_at(token),
        }
        return Response(TokenSerializer(answer).data)


class LogoutView(APIView):
    """Delete the caller's token: its key is refused from now on, and the next login
    issues a new one."""

    @extend_schema(
        operation_id="logout",
        request=None,
        responses={204: OpenApiResponse(description="Logged out."), **TOKEN_ERRORS},
    )
    def post(self, request: Request) -> Response:
        # IsAuthenticated (the default permission): the user is never anonymous here.
        tokens.revoke(cast(User, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExampleView(APIView):
    """Who is calling: needs a token (or, in the browsable API, a session)."""

    @extend_schema(
        operation_id="example", responses={200: UserSerializer, **TOKEN_ERRORS}
    )
    def get(self, request: Request) -> Response:
        # IsAuthenticated (the default permission): the user is never anonymous here.
        return Response(UserSerializer(cast(User, request.user)).data)
