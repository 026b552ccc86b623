"""Every real route, plus /bench/open/: the example view's work without authentication.

Copied into the rendered project by bench/run.py; never part of the template.
"""

import functools

from django.contrib.auth import get_user_model
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from users import tokens
from users.api.serializers import UserSerializer

# The user the open view shows; bench/run.py creates it before the server starts.
BENCH_LOGIN = "bench"


@functools.cache
def bench_user():
    """The fixed user, loaded once per worker, so the open view runs no query."""
    User = get_user_model()
    return User.objects.get(**{User.USERNAME_FIELD: BENCH_LOGIN})


class OpenExampleView(APIView):
    """users.api.views.ExampleView's work, for a fixed user: no authentication, no
    permission check. The upper limit the token-authenticated view is measured against."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get(self, request):
        return Response(UserSerializer(bench_user()).data)


@functools.cache
def bench_key():
    """The fixed user's token key, read once per worker."""
    from rest_framework.authtoken.models import Token

    return Token.objects.get(user=bench_user()).key


class OpenLookupView(OpenExampleView):
    """The open view plus the token lookup the authentication does (tokens.find), and
    nothing else of it: for --decompose, to tell the lookup's cost from the rest."""

    def get(self, request):
        tokens.find(bench_key())
        return super().get(request)


# After the real routes, so that resolving /bench/open/ walks them as /api/example/
# does (config.urls, then users.api.urls), rather than being found first.
urlpatterns = [
    path("", include("config.urls")),
    path("bench/open/", OpenExampleView.as_view(), name="bench-open"),
    path("bench/open-lookup/", OpenLookupView.as_view(), name="bench-open-lookup"),
]
