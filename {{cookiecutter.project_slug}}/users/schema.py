"""How the OpenAPI schema describes the project's token authentication."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema


# drf-spectacular registers the extension in its own __init_subclass__, which is not
# annotated.
class TokenAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
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
