from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from users import tokens

from .serializers import LoginSerializer, UserSerializer


class ObtainTokenView(ObtainAuthToken):
    """Exchange a login and password for the user's token (the seed's `obtain_auth_token`).

    Answers `{"token": ..., "user_id": ..., "email": ...}` so a client knows whose token it holds.
    """

    serializer_class = LoginSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token = tokens.issue(user)
        return Response({"token": token.key, "user_id": user.pk, "email": user.email})


class ExampleView(APIView):
    """Who is calling: needs a token (or, in the browsable API, a session)."""

    def get(self, request):
        return Response(UserSerializer(request.user).data)
