"""Throttling of token-authenticated API calls (django-ninja's throttle hook): at most
`API_TOKEN_RATE` calls per user per period; over it, 429 with Retry-After.

Counted per user (several tokens of one user share the allowance), in fixed windows, one
integer per user and window, counted in one Redis round trip (INCR and EXPIRE): ninja's own
rate throttles keep a list of every call's time, which at a generous rate (thousands a minute,
the dispatch surge) would be re-written on each call. Counts live in Django's default cache:
Redis when `REDIS_URL` is set, so every server process shares them. If that cache cannot be
reached the call is let through (and logged): the throttle guards capacity, and an outage of
Redis must not refuse dispatch. Session (browser) calls are not counted here: logins are
limited by the lockout, and pages are not throttled.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from safeops.core.rediscache import SharedRedisCache

logger = logging.getLogger(__name__)
BEARER_ATTRIBUTE = "safeops_bearer"  # set on the request by the API's bearer authentication


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def __init__(self) -> None:
        super().__init__(rate=settings.API_TOKEN_RATE)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if not getattr(request, BEARER_ATTRIBUTE, False):
            return None
        return f"throttle_token_{request.user.pk}"

    def allow_request(self, request: HttpRequest) -> bool:
        # Read per call, so a changed setting (and a test's override) applies at once.
        self.num_requests, self.duration = self.parse_rate(settings.API_TOKEN_RATE)
        key = self.get_cache_key(request)
        if key is None or not self.num_requests or not self.duration:
            return True
        self.now = time.time()
        window = int(self.now // self.duration)
        self.key = f"{key}_{window}"
        try:
            count = _count(self.key, self.duration)
        except Exception as error:  # the shared cache is down: let the call through
            logger.warning("API throttle skipped: the cache is unreachable (%s)", error)
            return True
        return count <= self.num_requests

    def wait(self) -> float | None:
        if not self.duration:
            return None
        return float(self.duration - (self.now % self.duration))


def _count(key: str, seconds: int) -> int:
    """One more call in the window `key`: its count. Redis counts in one round trip
    (SharedRedisCache.count_in_window); another cache adds the key, then increments it."""
    if isinstance(cache_backend := caches["default"], SharedRedisCache):
        return cache_backend.count_in_window(key, seconds)
    cache.add(key, 0, seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return 1
