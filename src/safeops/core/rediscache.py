"""Django's Redis cache with one connection pool per server process.

Django keeps a cache backend instance per thread and per asyncio context (`caches` is an
asgiref `Local`), and `RedisCache` opens its connection pool inside that instance. Under ASGI
every request runs in a new context, so every request that touched the cache (each
token-authenticated API call counts itself in the throttle, safeops.accounts.throttling) built a
new pool and opened a new Redis connection: a connect, a handshake and redis-py's driver
version lookup, about a third of a dispatch call's CPU in the surge (bench/dispatch_cost.py).
This backend keeps one client (and so one pool) per process for each location and options;
redis-py's pool notices a fork and opens new connections in the child. Django's client also
builds a new `redis.Redis` object for every command (about 1 ms of CPU: its response-callback
table); this one keeps one per pool (they are thread-safe).

`count_in_window` counts a call in a fixed window in one round trip (the API throttle,
safeops.accounts.throttling), where `add` then `incr` took three.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_clients: dict[str, RedisCacheClient] = {}
_lock = threading.Lock()


class _Client(RedisCacheClient):
    """Django's client, keeping its `redis.Redis` for one server instead of one per call."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._single_server = len(servers) == 1
        self._redis: Any = None

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        if not self._single_server:  # replicas: Django picks the pool per call
            return super().get_client(key, write=write)
        if self._redis is None:
            self._redis = super().get_client(key, write=True)  # one pool for reads and writes
        return self._redis


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
                    client = _Client(self._servers_given, **self._options_given)
                    _clients[self._shared_key] = client
        return client

    def count_in_window(self, key: str, seconds: int) -> int:
        """Count one more call under `key` and return the count; the key expires `seconds`
        after its first call (INCR and EXPIRE NX in one round trip)."""
        name = self.make_and_validate_key(key)
        client = self._cache.get_client(name, write=True)
        with client.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, seconds, nx=True)
            count, _expiry_set = pipe.execute()
        return int(count)
