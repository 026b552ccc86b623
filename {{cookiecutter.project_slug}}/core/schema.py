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


# A refused body: each refused field with its messages (non_field_errors for the body as
# a whole), or `detail` for a body that could not be read at all.
REFUSED_BODY = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

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
    """drf-spectacular's AutoSchema, plus COMMON_ERRORS on every operation, TOKEN_ERRORS
    on those that require the token, and a 400 and a 415 on those that take a body; a
    view's own @extend_schema wins. drf-spectacular describes a body for POST, PUT and
    PATCH only: a view's `delete_body`, a serializer, is the body its DELETE takes."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:  # excluded from the schema
            return None
        delete_body = getattr(self.view, "delete_body", None)
        if self.method == "DELETE" and delete_body is not None:
            body = self.resolve_serializer(delete_body, "request").ref
            content = {"application/json": {"schema": body}}
            operation["requestBody"] = {"content": content, "required": True}
        errors = dict(COMMON_ERRORS)
        # `security` lists alternatives; an empty one ({}) means none is needed.
        if all(operation.get("security", [{}])):
            errors |= TOKEN_ERRORS
        responses = operation["responses"]
        error_body = self.resolve_serializer(ErrorSerializer, "response").ref
        for code, description in errors.items():
            responses.setdefault(str(code), json_response(description, error_body))
        if "requestBody" in operation:
            description = _("The body could not be read, or a field was refused.")
            responses.setdefault("400", json_response(description, REFUSED_BODY))
            description = _("A body that is not JSON, form data or multipart.")
            responses.setdefault("415", json_response(description, error_body))
        return operation


def json_response(description: str | Promise, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
