"""core/throttles.py: counts in the shared cache, and a JSON 503 when it cannot count."""

import json
from http import HTTPStatus

import pytest
from django.core.exceptions import RequestDataTooBig
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from core.throttles import ClientAddressThrottle, SharedCacheThrottle

pytestmark = pytest.mark.django_db

UNAVAILABLE = {"detail": "Attempts cannot be counted right now; try again shortly."}
# Caches that fail on every use: the table `migrate` makes is missing, or nothing
# listens where Redis should be.
BROKEN_CACHES = {
    "missing table": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "no_such_table",
    },
    "redis down": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
}


class TwoPerMinute(ClientAddressThrottle):
    scope = "test"
    rate = "2/minute"


class TwoPerMinutePerName(SharedCacheThrottle):
    """Reads the body, as the login throttle per submitted name does."""

    scope = "test_name"
    rate = "2/minute"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.data["name"]}


class LimitedView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes: tuple[type[SharedCacheThrottle], ...] = (
        TwoPerMinute,
        TwoPerMinutePerName,
    )

    def post(self, request):
        return Response(status=HTTPStatus.NO_CONTENT)


class LimitedPerNameView(LimitedView):
    throttle_classes = (TwoPerMinutePerName,)


def call(body='{"name": "alice"}', address="203.0.113.7", view=LimitedView):
    request = APIRequestFactory().post(
        "/", body, content_type="application/json", REMOTE_ADDR=address
    )
    return view.as_view()(request)


def test_counts_per_client_address():
    assert [call().status_code for _ in range(3)] == [204, 204, 429]
    assert call(body='{"name": "bob"}', address="198.51.100.1").status_code == 204


@pytest.mark.parametrize("broken", BROKEN_CACHES.values(), ids=BROKEN_CACHES)
def test_a_cache_that_fails_gives_503_never_a_pass(settings, caplog, broken):
    """Not a 500, and not a request let through uncounted: a JSON 503 that says when
    to retry, and the failure in the logs."""
    settings.CACHES = {"default": broken}
    response = call()
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.data == UNAVAILABLE
    assert response["Retry-After"] == "5"
    assert "The throttles cannot use the cache" in caplog.text


def test_a_body_that_cannot_be_read_is_still_the_clients_fault(settings):
    """A throttle that reads a malformed body answers 400, as the view would, and not
    503: only the cache's own failures are the cache's."""
    settings.CACHES = {"default": BROKEN_CACHES["missing table"]}
    response = call(body="{not json", view=LimitedPerNameView)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.data["detail"].startswith("JSON parse error")


def test_a_body_too_large_is_still_the_clients_fault(settings):
    """Django's refusal of a body over DATA_UPLOAD_MAX_MEMORY_SIZE goes on to its 400,
    whatever the cache does."""
    settings.CACHES = {"default": BROKEN_CACHES["missing table"]}
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    with pytest.raises(RequestDataTooBig):
        call(body='{"name": "%s"}' % ("x" * 200), view=LimitedPerNameView)


def test_many_other_counts_do_not_clear_a_clients_count():
    """Past Django's default of 300 entries, the database cache would cull the first
    third of its keys: a client whose count sorts first must still be refused after
    400 other clients are counted."""
    first = "10.0.0.1"
    for name in ["a", "b"]:  # a name each time: only the address is counted twice
        call(body=json.dumps({"name": name}), address=first)
    for index in range(400):
        other = f"192.0.{index // 200}.{index % 200}"
        call(body=json.dumps({"name": other}), address=other)
    third = call(body=json.dumps({"name": "c"}), address=first)
    assert third.status_code == HTTPStatus.TOO_MANY_REQUESTS
