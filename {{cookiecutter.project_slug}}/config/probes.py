"""Health probes for container platforms, which probe the pod's own address over plain
HTTP: `GET /healthz` (liveness: the process serves requests) and `GET /readyz`
(readiness: the database answers; the cache is reported too).

They are answered by a middleware that goes before the Host check, the HTTPS rules,
sessions, authentication and throttles, none of which apply to a probe; a view routed
by the URLconf, as django-health-check's are, comes after all of them.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    cache.get("readyz")


# Each check raises when its dependency does not answer; the timeouts that bound it
# are the connections' own (config/settings/base.py).
READINESS_CHECKS = {"database": check_database, "cache": check_cache}
# Those without which the replica is not ready: see ready().
REQUIRED = {"database"}


def alive() -> JsonResponse:
    return JsonResponse({"status": "ok"})


def ready() -> JsonResponse:
    """503 while the database does not answer: no request can be served without it,
    and a replica that cannot reach it while others can is rightly left out.

    A cache that does not answer is reported, with 200: every replica shares it, so
    it is down for all of them at once, and taking them all out of the Service would
    turn an outage of logins (a JSON 503 while the throttles cannot count,
    core/throttles.py) into an outage of everything, calls with a token included,
    which never use the cache. Alert on "degraded" instead.
    """
    checks = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as error:  # whatever the failure, not ready
            logger.warning("Readiness: %s unavailable: %s", name, type(error).__name__)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    failed = [name for name, status in checks.items() if status != "ok"]
    if not failed:
        return JsonResponse({"status": "ok", "checks": checks})
    detail = _("Unavailable: %(failed)s.") % {"failed": ", ".join(failed)}
    if REQUIRED.isdisjoint(failed):
        body = {"status": "degraded", "detail": detail, "checks": checks}
        return JsonResponse(body)
    body = {"status": "unavailable", "detail": detail, "checks": checks}
    return JsonResponse(body, status=503)


PROBES = {"/healthz": alive, "/readyz": ready}


class HealthProbeMiddleware:
    """Answers the probes' two paths; every other request goes on as usual."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            response = JsonResponse(
                {"detail": _("Method not allowed: use GET.")}, status=405
            )
            response["Allow"] = "GET, HEAD"
        else:
            response = probe()
        response["Cache-Control"] = "no-store"
        return response
