"""The Redis cache keeps one connection pool per process, not one per request context."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.core.cache import CacheHandler

from safeops.core.rediscache import SharedRedisCache

SETTINGS = {
    "default": {
        "BACKEND": "safeops.core.rediscache.SharedRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",  # never connected: a pool opens lazily
    }
}


def test_every_request_context_shares_one_client_and_pool() -> None:
    handler = CacheHandler(SETTINGS)

    async def in_a_new_context() -> object:
        cache = handler["default"]
        assert isinstance(cache, SharedRedisCache)
        return cache._cache._get_connection_pool(write=True)

    def run_apart() -> object:
        # Its own thread: a browser test in the same session may leave a loop running here.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, in_a_new_context()).result()

    # Under ASGI each request runs in its own context, where `caches` builds a new backend.
    first = run_apart()
    second = run_apart()
    assert first is second
