import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RefuseInsecureAPIRequestsMiddleware:
    """Over plain HTTP, refuse API calls with a JSON 403 instead of redirecting them.

    A redirect would hide that the token or password already crossed the network in
    clear (OWASP ASVS 5.0, 4.1.2). Pages for browsers (HTTPS_REDIRECT_PATHS: the admin,
    the browsable API's login) are left to SecurityMiddleware, which redirects them.
    Active only when SECURE_SSL_REDIRECT is on, as in production; goes first in MIDDLEWARE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.pages = [re.compile(pattern) for pattern in settings.HTTPS_REDIRECT_PATHS]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.SECURE_SSL_REDIRECT
            and not request.is_secure()
            and not any(
                page.match(request.path_info.lstrip("/")) for page in self.pages
            )
        ):
            return JsonResponse({"detail": _("HTTPS is required.")}, status=403)
        return self.get_response(request)


class ContentSecurityPolicyForPagesMiddleware:
    """HTML pages (the admin, the browsable API) get SECURE_CSP_PAGES, which lets them
    load their own scripts, styles and images; every other response, the API's JSON,
    keeps the strict SECURE_CSP. Goes right after Django's CSP middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            # The attribute Django's own csp_override() sets; the stubs leave it out.
            response._csp_config = settings.SECURE_CSP_PAGES  # type: ignore[attr-defined]
        return response
