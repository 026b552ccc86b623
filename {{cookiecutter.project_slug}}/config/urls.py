"""URL configuration: the admin, the browsable API's login, the API docs, and the users
app's API.

https://docs.djangoproject.com/en/6.1/topics/http/urls/
"""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# The API of each app in LOCAL_APPS (README.md, "Add an app").
api_urlpatterns = [
    path("", include("users.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api-auth/", include("rest_framework.urls")),
    # The OpenAPI schema and Swagger UI (SPECTACULAR_SETTINGS says who may see them).
    # https://drf-spectacular.readthedocs.io/en/latest/readme.html#take-it-for-a-spin
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's set-up script as a file, as the CSP requires.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema"),
        name="api-docs",
    ),
    *api_urlpatterns,
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
