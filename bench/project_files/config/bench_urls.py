"""Every real route, plus /bench/open/: the example view's work without authentication,
and /bench/drf-lookup/: the example view with DRF's own token lookup.

Copied into the rendered project by bench/run.py; never part of the template.
"""

import functools

from django.contrib.auth import get_user_model
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from users import tokens
from users.api.serializers import UserSerializer
from users.api.views import ExampleView
from users.authentication import TokenAuthentication

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


class DRFLookupAuthentication(TokenAuthentication):
    """The project's TokenAuthentication, with DRF's own lookup for tokens.find(): DRF's
    authenticate_credentials, `Token.objects.select_related("user").get(key=key)` then
    the inactive user's refusal, as the project's. Its other rules stay: the expiry
    here, the failed-key throttle in authenticate()."""

    def authenticate_credentials(self, key):
        user, token = authentication.TokenAuthentication.authenticate_credentials(
            self, key
        )
        if tokens.is_expired(token):
            raise exceptions.AuthenticationFailed(_("Token has expired."))
        return user, token


class DRFLookupExampleView(ExampleView):
    """/api/example/'s view, with DRFLookupAuthentication in place of the project's
    TokenAuthentication and the same throttles, permissions and other authentication
    classes: the two differ only in the token lookup."""

    authentication_classes = tuple(
        DRFLookupAuthentication if cls is TokenAuthentication else cls
        for cls in ExampleView.authentication_classes
    )


# After the real routes, so that resolving /bench/open/ walks them as /api/example/
# does (config.urls, then users.api.urls), rather than being found first.
urlpatterns = [
    path("", include("config.urls")),
    path("bench/open/", OpenExampleView.as_view(), name="bench-open"),
    path("bench/open-lookup/", OpenLookupView.as_view(), name="bench-open-lookup"),
    path("bench/drf-lookup/", DRFLookupExampleView.as_view(), name="bench-drf-lookup"),
]
