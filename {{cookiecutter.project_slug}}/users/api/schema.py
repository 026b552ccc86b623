"""What the OpenAPI schema (/api/schema/, `manage.py spectacular`) says that
drf-spectacular cannot find out by itself: the token header, and the errors every
endpoint can give. The views' @extend_schema say the rest.

UsersConfig.ready() imports this module, so the token scheme is registered before any
schema is made, as drf-spectacular advises:
https://drf-spectacular.readthedocs.io/en/latest/faq.html#where-should-i-put-my-extensions-my-extensions-are-not-detected
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse

from .responses import ErrorSerializer

if TYPE_CHECKING:
    from django.utils.functional import Promise
    from drf_spectacular.openapi import AutoSchema


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
    """An answer with an error body: {"detail": "..."}."""
    return OpenApiResponse(ErrorSerializer, description=description)


# Answers any endpoint can give.
COMMON_ERRORS = {
    403: error(_("Plain HTTP: the API is served over HTTPS only.")),
    429: error(_("Too many attempts; retry after the Retry-After header's seconds.")),
}

# Answers any endpoint that takes the token can give.
TOKEN_ERRORS = {
    401: error(_("No token, or a token that is invalid or expired.")),
    **COMMON_ERRORS,
}
