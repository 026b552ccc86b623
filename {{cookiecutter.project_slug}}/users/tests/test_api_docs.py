from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from .utils import PASSWORD, make_user

User = get_user_model()

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/docs/", "/api/schema/"])
def test_docs_are_for_staff_unless_opened(api_client, url):
    """Without DJANGO_API_DOCS_PUBLIC the docs and schema need a staff member."""
    assert api_client.get(url).status_code == HTTPStatus.UNAUTHORIZED
    api_client.force_authenticate(make_user("bob@example.com"))
    assert api_client.get(url).status_code == HTTPStatus.FORBIDDEN
    api_client.force_authenticate(make_user("staff@example.com", is_staff=True))
    assert api_client.get(url).status_code == HTTPStatus.OK


def test_swagger_ui_is_served_by_the_project(client):
    """Swagger UI's files come from this project's static files, not from a CDN."""
    client.force_login(make_user("staff@example.com", is_staff=True))
    html = client.get("/api/docs/").content.decode()
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    )
    assert "cdn" not in html.lower()
    script = client.get("/api/docs/?script=")
    assert script.status_code == HTTPStatus.OK
    assert script["Content-Type"].startswith("application/javascript")


def test_logging_in_checks_no_credentials(api_client, user):
    """As the schema says, logging in takes no credentials: a revoked key sent along
    (a generated client's, after its logout) does not turn the login away."""
    revoked = user.auth_token.key
    user.auth_token.delete()
    response = api_client.post(
        reverse("api:obtain-token"),
        {User.USERNAME_FIELD: "alice@example.com", "password": PASSWORD},
        format="json",
        HTTP_AUTHORIZATION=f"Token {revoked}",
    )
    assert response.status_code == HTTPStatus.OK
    assert response.json()["token"] != revoked
