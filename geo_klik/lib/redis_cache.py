"""Redis connections kept across requests: Django's Redis cache and a client, pooled per process.

Django keeps cache objects per async context, and under ASGI every request is a new context: each
request built a new ``RedisCache``, a new connection pool and a new TCP connection to Redis
(with a package-metadata lookup on the way), about a tenth of report intake's time, where the
rate limits are counted (issue 13). Here every ``RedisCache`` of one configuration in a process
shares one client and its pools; redis-py's pools are thread-safe, and after a fork they notice
the new process id and start afresh.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, ClassVar

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class PooledRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` sharing its pools across requests."""

    # Set by RedisCache.__init__ (Django's stubs leave its private attributes out).
    _servers: list[str]
    _options: dict[str, Any]
    _class: type[RedisCacheClient]
    _clients: ClassVar[dict[str, RedisCacheClient]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @cached_property
    def _cache(self) -> RedisCacheClient:
        key = repr((self._servers, sorted(self._options.items(), key=repr)))
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._clients[key] = self._class(self._servers, **self._options)
        return client


@functools.lru_cache(maxsize=16)
def shared_client(url: str, *, timeout_s: float) -> redis.Redis:
    """One Redis client (and connection pool) per URL and timeout in this process.

    For the few direct uses of Redis on a request's path (the health check): a client made per
    call opened a TCP connection per call.
    """
    return redis.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)
