"""The OpenAPI schema's errors (/api/schema/, `manage.py spectacular`): the answers any
operation can give are added to each one here, so that a view documents only its own.
https://drf-spectacular.readthedocs.io/en/latest/customization.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

if TYPE_CHECKING:
    from django.utils.functional import Promise


class ErrorSerializer(serializers.Serializer[dict[str, Any]]):
    """The body of every error that is not about one field: {"detail": "..."}."""

    detail = serializers.CharField()


def error(description: str | Promise) -> OpenApiResponse:
    """An answer with an error body, for a view's @extend_schema(responses=...)."""
    return OpenApiResponse(ErrorSerializer, description=description)


# Answers any operation can give, and those that take the token can give too.
COMMON_ERRORS = {
    403: _("Plain HTTP (the API is served over HTTPS only), or not allowed."),
    429: _("Too many attempts; retry after the Retry-After header's seconds."),
    503: _(
        "Unavailable for a moment (the database or the cache does not answer); "
        "retry after the Retry-After header's seconds."
    ),
}
TOKEN_ERRORS = {401: _("No token, or a token that is invalid or expired.")}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, plus COMMON_ERRORS on every operation and
    TOKEN_ERRORS on those that require the token; a view's own @extend_schema wins."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:  # excluded from the schema
            return None
        errors = dict(COMMON_ERRORS)
        # `security` lists alternatives; an empty one ({}) means none is needed.
        if all(operation.get("security", [{}])):
            errors |= TOKEN_ERRORS
        body = self.resolve_serializer(ErrorSerializer, "response").ref
        for code, description in errors.items():
            operation["responses"].setdefault(
                str(code),
                {
                    "description": description,
                    "content": {"application/json": {"schema": body}},
                },
            )
        return operation
