from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from users.models import User


class LoginSerializer(AuthTokenSerializer):
    """A username and a password, checked by DRF's own serializer, with its messages."""


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email"]
