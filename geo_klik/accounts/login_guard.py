"""Login rate limiting against password guessing, per username and per client address.

Failed attempts are counted in Redis (the ``ratelimit`` cache) so every server process sees
them. After ``LOGIN_MAX_FAILURES_PER_USERNAME`` failures for one username, or
``LOGIN_MAX_FAILURES_PER_ADDRESS`` from one address, within ``LOGIN_LOCKOUT_S`` seconds, further
attempts are refused until the window passes, whatever the password.

Failing safely: if Redis is unreachable the counters fall back to this process's own memory
(the ``default`` cache). Guessing stays limited (per process) and staff can still log in,
which a control room needs more than a perfect count; a warning is logged.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest

logger = logging.getLogger(__name__)

SHARED_CACHE = "ratelimit"
FALLBACK_CACHE = "default"


def client_address(request: HttpRequest | None) -> str:
    """REMOTE_ADDR, or the address the trusted proxies saw (same rule as DRF's NUM_PROXIES)."""
    if request is None:
        return ""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(str(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return str(hops[-min(proxies, len(hops))])
    return remote


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    keys = [(f"login-fail:user:{digest}", settings.LOGIN_MAX_FAILURES_PER_USERNAME)]
    if address:
        keys.append((f"login-fail:addr:{address}", settings.LOGIN_MAX_FAILURES_PER_ADDRESS))
    return keys


def _get_many(keys: list[str]) -> dict[str, int]:
    try:
        return dict(caches[SHARED_CACHE].get_many(keys))
    except Exception as exc:  # Redis down: this process's own counts
        logger.warning("login guard: shared cache unreachable (%s); using local counts", exc)
        return dict(caches[FALLBACK_CACHE].get_many(keys))


def _increment(cache: BaseCache, key: str) -> None:
    if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_S):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_S)


def is_locked(username: str, request: HttpRequest | None) -> bool:
    """True if this username or address has failed too often lately."""
    keys = _keys(username, client_address(request))
    counts = _get_many([key for key, _ in keys])
    return any(int(counts.get(key, 0)) >= limit for key, limit in keys)


def record_failure(username: str, request: HttpRequest | None) -> None:
    for key, _ in _keys(username, client_address(request)):
        try:
            _increment(caches[SHARED_CACHE], key)
        except Exception as exc:
            logger.warning("login guard: shared cache unreachable (%s); counting locally", exc)
            _increment(caches[FALLBACK_CACHE], key)


def record_success(username: str) -> None:
    """A correct password clears the username's count (not the address's)."""
    key = _keys(username, "")[0][0]
    for alias in (SHARED_CACHE, FALLBACK_CACHE):
        try:
            caches[alias].delete(key)
        except Exception as exc:
            logger.warning("login guard: cache %s unreachable (%s)", alias, exc)


LOCKED_MESSAGE_ID = (
    "Terlalu banyak percobaan masuk yang gagal. Tunggu {minutes} menit lalu coba lagi."
)
LOCKED_MESSAGE_EN = "Too many failed login attempts. Wait {minutes} minutes and try again."


def locked_messages() -> tuple[str, str]:
    minutes = max(1, round(settings.LOGIN_LOCKOUT_S / 60))
    return (
        LOCKED_MESSAGE_ID.format(minutes=minutes),
        LOCKED_MESSAGE_EN.format(minutes=minutes),
    )
