{%- if cookiecutter.username_type == "email" -%}
from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from users import tokens
from users.models import User


class LoginSerializer(serializers.Serializer[dict[str, Any]]):
    """An email address and a password.

    `username` is accepted in place of `email`, for clients written against DRF's
    documentation; the messages are DRF's own.
    """

    email = serializers.CharField(label=_("Email"), write_only=True, required=False)
    username = serializers.CharField(
        label=_("Username"),
        help_text=_("Accepted in place of email."),
        write_only=True,
        required=False,
    )
    password = serializers.CharField(
        label=_("Password"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        email = attrs.get("email") or attrs.get("username")
        password = attrs.get("password")
        if not (email and password):
            msg = _('Must include "email" and "password".')
            raise serializers.ValidationError(msg, code="authorization")
        user = authenticate(
            request=self.context.get("request"), email=email, password=password
        )
        # authenticate() returns None for an inactive user too, so a wrong password,
        # an unknown email and an inactive user get the same answer.
        if not user:
            msg = _("Unable to log in with provided credentials.")
            raise serializers.ValidationError(msg, code="authorization")
        return {"user": user}
{%- else -%}
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer

from users import tokens
from users.models import User


class LoginSerializer(AuthTokenSerializer):
    """A username and a password, checked by DRF's own serializer, with its messages."""
{%- endif %}


class LoginErrorSerializer(serializers.Serializer[dict[str, Any]]):
    """A refused login: what is wrong with which field, or with the request as a whole."""

    non_field_errors = serializers.ListField(
        child=serializers.CharField(), required=False
    )
{%- if cookiecutter.username_type == "email" %}
    email = serializers.ListField(child=serializers.CharField(), required=False)
{%- endif %}
    username = serializers.ListField(child=serializers.CharField(), required=False)
    password = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(
        required=False, help_text=_("A body that could not be read.")
    )


class TokenSerializer(serializers.Serializer[dict[str, Any]]):
    token = serializers.CharField(
        help_text=_("Send it as `Authorization: Token <token>`.")
    )
    user_id = serializers.IntegerField()
    email = serializers.EmailField(allow_blank=True)
    expires = serializers.DateTimeField(
        allow_null=True, help_text=_("When the token stops working; null if never.")
    )


def token_answer(token: Token) -> dict[str, Any]:
    """What a login (or a new password) answers: the key, whose it is, until when."""
    answer = {
        "token": token.key,
        "user_id": token.user.pk,
        "email": token.user.email,
        "expires": tokens.expires_at(token),
    }
    return TokenSerializer(answer).data


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
{%- if cookiecutter.username_type == "email" %}
        fields = ["id", "email"]
{%- else %}
        fields = ["id", "username", "email"]
{%- endif %}
