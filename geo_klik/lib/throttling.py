"""Rate limits per device and per client address, kept in Redis, failing open if Redis is down.

Indonesian carriers put many phones behind one address (carrier-grade NAT), so a limit per
address alone would block a whole neighbourhood at once. Pages send a random device id
(``X-Device-Id``, kept in the browser); requests are counted per device, every request also
against a much higher ceiling per address, and requests without a valid device id against a
stricter limit per address.

The counters live in the ``ratelimit`` cache (Django's Redis cache on REDIS_URL), shared by
every server process. If Redis cannot be reached the request is let through and a warning
logged: losing the limit for a while is better than refusing residents' reports.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

logger = logging.getLogger(__name__)

RATE_LIMIT_CACHE = "ratelimit"
DEVICE_HEADER = "X-Device-Id"
# A UUID as the pages make it, or any other random token of 16 to 64 URL-safe characters.
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def device_id(request: Request) -> str | None:
    """The request's valid X-Device-Id; None if absent or malformed (then it counts as none)."""
    raw = request.headers.get(DEVICE_HEADER) or ""
    return raw if DEVICE_ID.fullmatch(raw) else None


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

    def __init__(self, *, scope: str | None = None, rate_setting: str | None = None) -> None:
        self.scope = scope or self.scope
        self.rate_setting = rate_setting or self.rate_setting
        # Looked up per request, not at import: settings overrides (tests) replace caches.
        self.cache: BaseCache = caches[RATE_LIMIT_CACHE]
        super().__init__()

    def get_rate(self) -> str | None:
        return getattr(settings, self.rate_setting, None) or None

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
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


class DeviceRateThrottle(FailOpenRateThrottle):
    """Limit per device id; a request without a valid one is left to the per-address limits."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        device = device_id(request)
        if device is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": device}


class DevicelessRateThrottle(FailOpenRateThrottle):
    """Limit per client address, counting only requests without a valid device id."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if device_id(request) is not None:
            return None
        return super().get_cache_key(request, view)
