import ipaddress
import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from config import logs

logger = logging.getLogger(__name__)


class RequestIDMiddleware:
    """Gives each request an ID, in every log line about it and in the `X-Request-ID`
    response header, so a client's report can be matched with the server's logs.

    The ID is the request's `X-Request-ID` when a trusted proxy sent it (TRUSTED_PROXIES;
    deploy/nginx.conf sets it), and a new one otherwise: a client cannot write into the
    logs. It stays set until the next request, so that Django's own line about the
    response, logged after the middleware returns, carries it too. Goes first.
    """

    header_value = re.compile(r"[A-Za-z0-9._-]{1,200}")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trust_any = "*" in settings.TRUSTED_PROXIES
        self.trusted = [
            ipaddress.ip_network(proxy, strict=False)
            for proxy in settings.TRUSTED_PROXIES
            if proxy != "*"
        ]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = self.from_proxy(request) or uuid.uuid4().hex
        logs.request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response

    def from_proxy(self, request: HttpRequest) -> str | None:
        value: str = request.META.get("HTTP_X_REQUEST_ID", "")
        if not self.header_value.fullmatch(value) or not self.is_trusted(
            request.META.get("REMOTE_ADDR", "")
        ):
            return None
        return value

    def is_trusted(self, address: str) -> bool:
        if self.trust_any:
            return True
        try:
            peer = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(peer in network for network in self.trusted)


class RefuseInsecureAPIRequestsMiddleware:
    """Over plain HTTP, refuse API calls with a JSON 403 instead of redirecting them.

    A redirect would hide that the token or password already crossed the network in
    clear (OWASP ASVS 5.0, 4.1.2). Pages for browsers (HTTPS_REDIRECT_PATHS: the admin,
    the browsable API's login) are left to SecurityMiddleware, which redirects them.
    Active only when SECURE_SSL_REDIRECT is on, as in production; goes before
    SecurityMiddleware in MIDDLEWARE, so that the redirect is never reached for an API call.
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
    keeps the strict SECURE_CSP. Goes right after Django's CSP middleware, which leaves
    a policy header that is already set alone (https://docs.djangoproject.com/en/6.1/ref/csp/).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}"
            for directive, sources in settings.SECURE_CSP_PAGES.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database (stopped, restarting, refusing
    connections) answers a JSON 503 with Retry-After, as the throttles do when they
    cannot count: the client may send the same request again shortly, whereas a 500
    says the server is broken. The next request opens a new connection, so nothing
    needs a restart once the database is back.

    Django hands a view's exceptions to process_exception, and DRF re-raises those
    that are not its own API errors; the error goes to the log, never to the client.
    """

    retry_after = 5

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable: %s", str(exception).partition("\n")[0])
        response = JsonResponse(
            {"detail": _("The service is briefly unavailable; try again shortly.")},
            status=503,
        )
        response["Retry-After"] = str(self.retry_after)
        return response
