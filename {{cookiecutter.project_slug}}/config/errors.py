"""Error pages as JSON, like the API's own errors: `{"detail": "..."}`, never a traceback.

Django calls these for errors that happen outside DRF's views: an unknown URL or Host, a
body too large, a crash. A database that does not answer gets a 503 of its own
(config/middleware.py).
https://docs.djangoproject.com/en/6.1/topics/http/views/#customizing-error-views
"""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _


def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": _("Bad request.")}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse(
        {"detail": _("You do not have permission to do this.")}, status=403
    )


def page_not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": _("Not found.")}, status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "detail": _(
                "Server error: the request could not be completed. Try again later."
            )
        },
        status=500,
    )
