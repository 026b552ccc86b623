"""Throttles that count in the default cache, which every worker and host shares
(CACHES in config/settings/base.py), and what they answer when they cannot count."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

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


class SharedCacheThrottle(SimpleRateThrottle):
    """DRF's throttle, except when the cache fails (Redis down, the cache table
    missing): then the request is answered 503 rather than a 500, and never let
    through uncounted, since these throttles are what stops password guessing."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except exceptions.APIException:
            raise  # The request's own fault (a body that cannot be read): a 4xx.
        except Exception as error:  # each cache backend raises errors of its own
            logger.exception("Throttle %r cannot use the cache", self.scope)
            raise CountUnavailable from error


class ClientAddressThrottle(SharedCacheThrottle):
    """Counts every request it is asked about, per client address: the address that
    NUM_PROXIES picks from X-Forwarded-For, else the peer's."""

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
