from rest_framework.throttling import SimpleRateThrottle


class FailedTokenThrottle(SimpleRateThrottle):
    """Counts refused `Authorization` headers per client address.

    Only failures are counted, so a valid token never waits on the cache. The count
    lives in the default cache, which all workers share.
    """

    scope = "failed_token"

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
