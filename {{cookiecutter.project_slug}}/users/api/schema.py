"""What the OpenAPI schema says about the token header, which drf-spectacular cannot
find out by itself (the errors every operation can give are core/schema.py's).

UsersConfig.ready() imports this module, so the scheme is registered before any schema
is made, as drf-spectacular advises:
https://drf-spectacular.readthedocs.io/en/latest/faq.html#where-should-i-put-my-extensions-my-extensions-are-not-detected
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

if TYPE_CHECKING:
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
