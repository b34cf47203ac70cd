"""The Redis cache keeps one connection pool per process, not one per request context."""

from __future__ import annotations

import asyncio

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

    # Under ASGI each request runs in its own context, where `caches` builds a new backend.
    first = asyncio.run(in_a_new_context())
    second = asyncio.run(in_a_new_context())
    assert first is second
