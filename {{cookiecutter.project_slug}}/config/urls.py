"""URL configuration: the admin, the browsable API's login, the API docs, and the users
app's API.

https://docs.djangoproject.com/en/6.1/topics/http/urls/
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

View = Callable[..., HttpResponse]


def api_docs(name: str) -> View:
    """The view config.api_docs.<name>, imported when it is first requested (see there)."""

    # csrf_exempt, as DRF's views are: the view imported decides what it accepts.
    @csrf_exempt
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        docs_view: View = import_string(f"config.api_docs.{name}")
        return docs_view(request, *args, **kwargs)

    return view


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api-auth/", include("rest_framework.urls")),
    path("api/schema/", api_docs("schema"), name="schema"),
    path("api/docs/", api_docs("swagger_ui"), name="api-docs"),
    path("", include("users.api.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
