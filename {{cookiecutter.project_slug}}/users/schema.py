"""How the OpenAPI schema describes the project's token authentication."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """The real header, so that Swagger UI's "Authorize" sends what DRF expects."""

    target_class = "users.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "`Authorization: Token <key>`, with the key from POST /api-token-auth/. "
                "In Swagger UI's Authorize, enter `Token <key>`."
            ),
        }
