"""What the API answers, as serializers: the token, and the error bodies every endpoint
can give. The obtain view renders the token with one; the views' @extend_schema describe
all of them in the OpenAPI schema."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TokenSerializer(serializers.Serializer[dict[str, Any]]):
    token = serializers.CharField(
        help_text=_("Send it as `Authorization: Token <token>`.")
    )
    user_id = serializers.IntegerField()
    email = serializers.EmailField(allow_blank=True)
    expires = serializers.DateTimeField(
        allow_null=True, help_text=_("When the token stops working; null if never.")
    )


class ErrorSerializer(serializers.Serializer[dict[str, Any]]):
    detail = serializers.CharField()


class LoginErrorSerializer(serializers.Serializer[dict[str, Any]]):
    """A refused login: what is wrong with which field, or with the request as a whole."""

    non_field_errors = serializers.ListField(
        child=serializers.CharField(), required=False
    )
    username = serializers.ListField(child=serializers.CharField(), required=False)
    email = serializers.ListField(child=serializers.CharField(), required=False)
    password = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(
        required=False, help_text=_("A body that could not be read.")
    )
