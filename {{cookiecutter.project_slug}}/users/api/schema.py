"""What the OpenAPI schema (/api/schema/, `manage.py spectacular`) says that
drf-spectacular cannot find out by itself: the token header, and what each view answers.

Here rather than in @extend_schema decorators on the views: a decorator loads
drf-spectacular's schema machinery, and through it django.test, into every process that
imports the views, about 3 MB in each gunicorn worker. SPECTACULAR_SETTINGS names the
generator below, so this module is loaded when a schema is made, and only then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular import generators
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiViewExtension,
)
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from .responses import ErrorSerializer, LoginErrorSerializer, TokenSerializer
from .serializers import LoginSerializer, UserSerializer

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema
    from rest_framework.views import APIView


class SchemaGenerator(generators.SchemaGenerator):
    """drf-spectacular's generator. Both the schema view and `manage.py spectacular`
    import it before making a schema, so the extensions below are registered by then."""


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """The real header, so that Swagger UI's "Authorize" sends what DRF expects."""

    target_class = "users.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "`Authorization: Token <key>`, with the key from POST /api-token-auth/. "
                "In Swagger UI's Authorize, enter `Token <key>`."
            ),
        }


def error(description: str | Promise) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# Answers any endpoint can give.
COMMON_ERRORS = {
    401: error(_("No token, or a token that is invalid or expired.")),
    403: error(_("Plain HTTP: the API is served over HTTPS only.")),
    429: error(_("Too many attempts; retry after the Retry-After header's seconds.")),
}


class DocumentedView(OpenApiViewExtension):
    """Describes target_class's methods with the @extend_schema calls in `methods`.

    They annotate a fresh subclass each time a schema is made, so the view that serves
    requests is never changed.
    """

    methods: dict[str, Any] = {}
    # Ahead of drf-spectacular's own extension for DRF's ObtainAuthToken.
    priority = 1

    def view_replacement(self) -> type[APIView]:
        view: type[APIView] = self.target
        documented = type(view.__name__, (view,), {"__doc__": view.__doc__})
        return extend_schema_view(**self.methods)(documented)


class ObtainTokenDocs(DocumentedView):
    target_class = "users.api.views.ObtainTokenView"
    methods = {
        "post": extend_schema(
            operation_id="obtain_token",
            request=LoginSerializer,
            responses={
                200: TokenSerializer,
                400: OpenApiResponse(
                    LoginErrorSerializer, description="Refused login."
                ),
                415: error("A body that is not JSON, form data or multipart."),
                **COMMON_ERRORS,
            },
        )
    }


class LogoutDocs(DocumentedView):
    target_class = "users.api.views.LogoutView"
    methods = {
        "post": extend_schema(
            operation_id="logout",
            request=None,
            responses={
                204: OpenApiResponse(description="Logged out."),
                **COMMON_ERRORS,
            },
        )
    }


class ExampleDocs(DocumentedView):
    target_class = "users.api.views.ExampleView"
    methods = {
        "get": extend_schema(
            operation_id="example", responses={200: UserSerializer, **COMMON_ERRORS}
        )
    }
