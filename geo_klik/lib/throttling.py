"""Rate limits per client address, kept in Redis, that fail open when Redis is down.

The counters live in the ``ratelimit`` cache (Django's Redis cache on REDIS_URL), shared by
every server process. If Redis cannot be reached the request is let through and a warning
logged: losing the limit for a while is better than refusing residents' reports.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

logger = logging.getLogger(__name__)

RATE_LIMIT_CACHE = "ratelimit"


def client_address(request: Request) -> str:
    """REMOTE_ADDR, or the address the trusted proxies saw (as every limit here counts it)."""
    return BaseThrottle().get_ident(request)


class FailOpenRateThrottle(SimpleRateThrottle):
    """Limit by client address at the rate named by the ``rate_setting`` Django setting.

    The setting is read on every request (so tests and operators can change it), and an
    empty value turns the limit off. The client address is REMOTE_ADDR, or the address the
    trusted proxies saw (REST_FRAMEWORK["NUM_PROXIES"], from TRUSTED_PROXIES).
    """

    rate_setting = ""

    def __init__(self) -> None:
        # Looked up per request, not at import: settings overrides (tests) replace caches.
        self.cache: BaseCache = caches[RATE_LIMIT_CACHE]
        super().__init__()

    def get_rate(self) -> str | None:
        return getattr(settings, self.rate_setting, None) or None

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return bool(super().allow_request(request, view))
        except Exception as exc:  # any cache failure: let the request through
            logger.warning("rate limit %s not applied: cache unreachable (%s)", self.scope, exc)
            return True

    def wait(self) -> float | None:
        value: Any = super().wait()
        return None if value is None else max(float(value), 1.0)
