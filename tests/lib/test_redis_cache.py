"""The Redis caches share one connection pool per process, whichever request uses them."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.cache import caches

from geo_klik.lib import redis_cache
from tests.conftest import closed_port


def cache_client_in_new_thread(alias: str) -> object:
    """The client behind a cache as a request on a new thread (as under ASGI) gets it."""
    found: list[object] = []

    def use() -> None:
        cache = caches[alias]
        cache.set("geo_klik-test-pool", "1", 5)
        found.append(cache._cache)  # type: ignore[attr-defined]

    thread = threading.Thread(target=use)
    thread.start()
    thread.join()
    return found[0]


def test_it_reuses_one_client_across_requests_on_new_threads() -> None:
    first = cache_client_in_new_thread("ratelimit")
    assert cache_client_in_new_thread("ratelimit") is first
    assert caches["ratelimit"].get("geo_klik-test-pool") == "1"


def test_it_keeps_another_server_apart() -> None:
    """A cache pointed elsewhere (as tests do for a Redis outage) never gets the shared client."""
    ours = redis_cache.PooledRedisCache(settings.REDIS_URL, {})
    elsewhere = redis_cache.PooledRedisCache(f"redis://127.0.0.1:{closed_port()}/0", {})
    assert ours._cache is not elsewhere._cache
    assert ours._cache is redis_cache.PooledRedisCache(settings.REDIS_URL, {})._cache


def test_it_shares_the_health_check_client_per_url() -> None:
    client = redis_cache.shared_client(settings.REDIS_URL, timeout_s=1.0)
    assert redis_cache.shared_client(settings.REDIS_URL, timeout_s=1.0) is client
    assert redis_cache.shared_client(settings.REDIS_URL, timeout_s=2.0) is not client
    assert client.ping()
