"""What the account endpoints take and give (views in accounts.py). Passwords go
through AUTH_PASSWORD_VALIDATORS, whose messages come back under the field's name."""

from typing import Any

from django.contrib.auth import password_validation
{%- if cookiecutter.username_type == "username" %}
from django.contrib.auth.validators import UnicodeUsernameValidator
{%- endif %}
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
{%- if cookiecutter.username_type == "username" %}
from rest_framework.validators import UniqueValidator
{%- endif %}

from users import links
from users.models import User

# Longer passwords are refused before they are hashed, as Django's forms once did: a
# hasher's work should not be the client's to choose.
MAX_PASSWORD_LENGTH = 4096


def password_field() -> serializers.CharField:
    return serializers.CharField(
        max_length=MAX_PASSWORD_LENGTH,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
    )


def check_password_rules(password: str, user: User, field: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise serializers.ValidationError({field: error.messages}) from None


class SignupSerializer(serializers.Serializer[dict[str, Any]]):
    email = serializers.EmailField(max_length=254)
{%- if cookiecutter.username_type == "username" %}
    # A taken name is refused (400): unlike an address, a name cannot be kept secret
    # from the person who chooses it.
    username = serializers.CharField(
        max_length=150,
        validators=[
            UnicodeUsernameValidator(),
            UniqueValidator(
                User.objects.all(),
                message=_("A user with that username already exists."),
            ),
        ],
    )
{%- endif %}
    password = password_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        fields = {name: value for name, value in attrs.items() if name != "password"}
        check_password_rules(attrs["password"], User(**fields), "password")
        return attrs


class EmailSerializer(serializers.Serializer[dict[str, Any]]):
    email = serializers.EmailField(max_length=254)


class LinkSerializer(serializers.Serializer[dict[str, Any]]):
    """The uid and token of an emailed link, which must still be good: validated_data
    has its user."""

    link: links.Link
    uid = serializers.CharField(max_length=32)
    token = serializers.CharField(max_length=64)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.link.user(attrs["uid"], attrs["token"])
        if user is None:
            raise serializers.ValidationError(
                {"token": _("This link is invalid, used, or expired.")}
            )
        return {**attrs, "user": user}


class VerifyEmailSerializer(LinkSerializer):
    link = links.VERIFY_EMAIL


class ConfirmEmailChangeSerializer(LinkSerializer):
    link = links.CONFIRM_EMAIL

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        address = attrs["user"].pending_email
        if User.objects.filter(email__iexact=address).exists():
            # Taken by another account since the link was sent.
            raise serializers.ValidationError(
                {"token": _("Another account uses this address now.")}
            )
        return attrs


class ConfirmPasswordResetSerializer(LinkSerializer):
    link = links.RESET_PASSWORD
    new_password = password_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        check_password_rules(attrs["new_password"], attrs["user"], "new_password")
        return attrs


class CurrentPasswordSerializer(serializers.Serializer[dict[str, Any]]):
    """The caller's current password, checked: for the changes that need more than the
    token (a new password, deleting the account)."""

    current_password = password_field()

    def validate_current_password(self, password: str) -> str:
        if not self.context["request"].user.check_password(password):
            raise serializers.ValidationError(_("Your current password is wrong."))
        return password


class ChangePasswordSerializer(CurrentPasswordSerializer):
    new_password = password_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        check_password_rules(attrs["new_password"], user, "new_password")
        return attrs


class MeSerializer(serializers.ModelSerializer[User]):
    """The caller's account. Only the names can be changed here: the address through
    change_email, the password through change_password; the rest is staff's."""

    class Meta:
        model = User
{%- if cookiecutter.username_type == "username" %}
        fields = ["id", "username", "email", "first_name", "last_name", "date_joined"]
{%- else %}
        fields = ["id", "email", "first_name", "last_name", "date_joined"]
{%- endif %}
        read_only_fields = ["id", "email", "date_joined"]


class DetailSerializer(serializers.Serializer[dict[str, Any]]):
    """What an account endpoint says when there is nothing more to give back."""

    detail = serializers.CharField()
