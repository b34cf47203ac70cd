"""Django's Redis cache with one connection pool per server process.

Django keeps a cache backend instance per thread and per asyncio context (`caches` is an
asgiref `Local`), and `RedisCache` opens its connection pool inside that instance. Under ASGI
every request runs in a new context, so every request that touched the cache (each
token-authenticated API call counts itself in the throttle, safeops.accounts.throttling) built a
new pool and opened a new Redis connection: a connect, a handshake and redis-py's driver
version lookup, about a third of a dispatch call's CPU in the surge (bench/dispatch_cost.py).
This backend keeps one client (and so one pool) per process for each location and options;
redis-py's pool notices a fork and opens new connections in the child.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_clients: dict[str, RedisCacheClient] = {}
_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    """`RedisCache` whose client (connection pools) every instance of this process shares."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._servers_given = re.split("[;,]", server) if isinstance(server, str) else server
        self._options_given: dict[str, Any] = params.get("OPTIONS", {})
        self._shared_key = repr((self._servers_given, sorted(self._options_given.items())))

    @property
    def _cache(self) -> RedisCacheClient:  # a cached_property upstream: one client per instance
        client = _clients.get(self._shared_key)
        if client is None:
            with _lock:
                client = _clients.get(self._shared_key)
                if client is None:
                    client = RedisCacheClient(self._servers_given, **self._options_given)
                    _clients[self._shared_key] = client
        return client
