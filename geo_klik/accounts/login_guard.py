"""Login limits against password guessing that cannot be turned into a lockout of staff.

Failed attempts are counted in Redis (the ``ratelimit`` cache) so every server process sees
them, under three keys:

- the pair (username, client address): ``LOGIN_MAX_FAILURES`` failures lock that pair for
  ``LOGIN_LOCKOUT_S`` seconds. Only the guesser's own address is locked out of the account:
  the operator at another desk still logs in.
- the address: ``LOGIN_MAX_FAILURES_PER_ADDRESS`` failures (any usernames) lock that address.
- the username, from every address: past ``LOGIN_MAX_FAILURES_PER_USERNAME`` failures the
  username is *slowed down*, never locked: one attempt per ``LOGIN_SLOWDOWN_S`` seconds. An
  address where that username logged in lately (``LOGIN_KNOWN_ADDRESS_DAYS``, the control
  room's desks) is not slowed, so a guesser with many addresses cannot keep staff out.

Every refusal says so (``LoginRefused``, with the seconds to wait): the login pages, the admin
and the token endpoint show "too many attempts, try again in N minutes", never "wrong password".

Failing safely: if Redis is unreachable the counters fall back to this process's own memory
(the ``default`` cache). Guessing stays limited (per process) and staff can still log in,
which a control room needs more than a perfect count; a warning is logged.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import User
from django.core.cache import BaseCache, caches
from django.http import HttpRequest

logger = logging.getLogger(__name__)

SHARED_CACHE = "ratelimit"
FALLBACK_CACHE = "default"


class LoginRefused(Exception):
    """Too many failed attempts: refused without checking the password, for retry_after_s."""

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = max(1, retry_after_s)
        self.message_id, self.message_en = refused_messages(self.retry_after_s)
        super().__init__(self.message_en)

    @property
    def message(self) -> str:
        return f"{self.message_id} / {self.message_en}"


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


@dataclass(frozen=True)
class _Keys:
    pair: str
    address: str
    username: str
    slow_gate: str
    known: str


def _keys(username: str, address: str) -> _Keys:
    user = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return _Keys(
        pair=f"login-fail:pair:{user}:{address}",
        address=f"login-fail:addr:{address}",
        username=f"login-fail:user:{user}",
        slow_gate=f"login-slow:user:{user}",
        known=f"login-known:{user}:{address}",
    )


def _call(method: str, *args: Any, **kwargs: Any) -> Any:
    """The shared cache's answer, or this process's own when Redis is unreachable."""
    try:
        return getattr(caches[SHARED_CACHE], method)(*args, **kwargs)
    except Exception as exc:  # Redis down: this process's own counts
        logger.warning("login guard: shared cache unreachable (%s); using local counts", exc)
        return getattr(caches[FALLBACK_CACHE], method)(*args, **kwargs)


def _increment(cache: BaseCache, key: str, timeout_s: int) -> int:
    if cache.add(key, 1, timeout=timeout_s):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout_s)
        return 1


def _count(key: str) -> int:
    try:
        return _increment(caches[SHARED_CACHE], key, settings.LOGIN_LOCKOUT_S)
    except Exception as exc:
        logger.warning("login guard: shared cache unreachable (%s); counting locally", exc)
        return _increment(caches[FALLBACK_CACHE], key, settings.LOGIN_LOCKOUT_S)


def _lock_key(key: str) -> str:
    return f"{key}:until"


def refusal(username: str, request: HttpRequest | None) -> LoginRefused | None:
    """Why this attempt must be refused before its password is checked, or None."""
    address = client_address(request)
    keys = _keys(username, address)
    wanted = [_lock_key(keys.pair), keys.slow_gate, keys.known]
    if address:
        wanted.append(_lock_key(keys.address))
    found = dict(_call("get_many", wanted))
    now = time.time()
    untils = [float(found.get(_lock_key(keys.pair), 0))]
    if address:
        untils.append(float(found.get(_lock_key(keys.address), 0)))
    if not found.get(keys.known):
        untils.append(float(found.get(keys.slow_gate, 0)))
    until = max(untils)
    if until > now:
        return LoginRefused(math.ceil(until - now))
    return None


def is_locked(username: str, request: HttpRequest | None) -> bool:
    return refusal(username, request) is not None


def _hold(key: str, seconds: int) -> None:
    _call("set", key, time.time() + seconds, timeout=seconds)


def record_failure(username: str, request: HttpRequest | None) -> None:
    keys = _keys(username, client_address(request))
    if _count(keys.pair) >= settings.LOGIN_MAX_FAILURES:
        _hold(_lock_key(keys.pair), settings.LOGIN_LOCKOUT_S)
    if client_address(request) and _count(keys.address) >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
        _hold(_lock_key(keys.address), settings.LOGIN_LOCKOUT_S)
    if _count(keys.username) >= settings.LOGIN_MAX_FAILURES_PER_USERNAME:
        _hold(keys.slow_gate, settings.LOGIN_SLOWDOWN_S)


def record_success(username: str, request: HttpRequest | None) -> None:
    """A correct password clears the pair's count and marks the address as known."""
    keys = _keys(username, client_address(request))
    _call("delete", keys.pair)
    if client_address(request):
        _call("set", keys.known, 1, timeout=settings.LOGIN_KNOWN_ADDRESS_DAYS * 86400)


def authenticate(request: HttpRequest | None, username: str, password: str) -> User | None:
    """Django's authenticate behind the guard: the user, None (wrong), or LoginRefused.

    Django's own ``authenticate`` swallows a backend's PermissionDenied and answers None,
    which callers would show as "wrong password"; every way in calls this instead.
    """
    found = refusal(username, request)
    if found is not None:
        raise found
    user = auth.authenticate(request, username=username, password=password)
    if user is None:
        found = refusal(username, request)  # this failure, or another meanwhile, locked it
        if found is not None:
            raise found
    return user


def refused_messages(retry_after_s: int) -> tuple[str, str]:
    if retry_after_s < 60:
        return (
            f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {retry_after_s} detik.",
            f"Too many failed login attempts. Try again in {retry_after_s} seconds.",
        )
    minutes = math.ceil(retry_after_s / 60)
    return (
        f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.",
        f"Too many failed login attempts. Try again in {minutes} minutes.",
    )
