"""Throttles that count in the default cache, which every worker and host shares
(CACHES in config/settings/base.py), and what they answer when they cannot count."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:
    # For annotations only: rest_framework.views imports the settings' authentication
    # classes, which import their throttles, as it loads.
    from rest_framework.request import Request
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class CountUnavailable(exceptions.APIException):
    """503 with Retry-After (DRF sends `wait` as that header)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Attempts cannot be counted right now; try again shortly.")
    default_code = "count_unavailable"
    wait = 5


class CountingCache:
    """The default cache, as DRF's throttles use it (get and set), except that a failure
    of its backend (Redis down, the cache table missing; each backend raises errors of
    its own) becomes CountUnavailable: a 503, never a 500, and never a request let
    through uncounted, since the throttles are what stops password guessing."""

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return cache.get(key, default)
        except Exception as error:
            raise self.unavailable() from error

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        try:
            cache.set(key, value, timeout)
        except Exception as error:
            raise self.unavailable() from error

    def unavailable(self) -> CountUnavailable:
        logger.exception("The throttles cannot use the cache")
        return CountUnavailable()


class SharedCacheThrottle(SimpleRateThrottle):
    """DRF's throttle, counting in CountingCache."""

    cache = CountingCache()  # type: ignore[assignment]


class ClientAddressThrottle(SharedCacheThrottle):
    """Counts every request it is asked about, per client address: the address that
    NUM_PROXIES picks from X-Forwarded-For, else the peer's."""

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
