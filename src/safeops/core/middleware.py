"""Middleware of our own.

`SyncChainMiddleware` goes last in MIDDLEWARE. Under ASGI, Django runs an async-capable
middleware in async mode, and Django's MiddlewareMixin then moves each of its hooks to a worker
thread and back (`sync_to_async`): with WhiteNoise (sync only) near the top the chain bounced
between the event loop and threads a dozen times per request. A sync-only middleware at the
bottom makes every middleware above it run synchronously in one thread, so a request crosses
from the event loop to a thread once (and the view runs in that same thread). Our views are
synchronous; an async view would still work, adapted by Django.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class SyncChainMiddleware:
    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)
