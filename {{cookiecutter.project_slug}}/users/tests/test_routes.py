from http import HTTPStatus

import pytest
from django.urls import URLPattern, get_resolver, reverse

pytestmark = pytest.mark.django_db

OPEN_ROUTES = {"api:obtain-token"}


def api_route_names():
    """Every named route of the users app's API, found in the URLconf itself."""
    namespace = get_resolver().namespace_dict["api"][1]
    return sorted(
        f"api:{pattern.name}"
        for pattern in namespace.url_patterns
        if isinstance(pattern, URLPattern)
    )


def test_the_seed_urls_are_routed():
    """The seed's URLs: /api-token-auth/ and /api/example/."""
    assert reverse("api:obtain-token") == "/api-token-auth/"
    assert reverse("api:example") == "/api/example/"


@pytest.mark.parametrize("route", sorted(set(api_route_names()) - OPEN_ROUTES))
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_api_routes_refuse_anonymous_callers(api_client, route, method):
    """Every API route but the obtain endpoint answers anonymous calls with 401."""
    response = getattr(api_client, method)(reverse(route))
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"
