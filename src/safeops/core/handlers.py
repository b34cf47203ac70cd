"""The ASGI handler for HTTP: Django's, with views run on a fixed pool of threads.

Django's ASGIHandler runs each request's synchronous code (middleware and view) in a new thread
of its own (asgiref's ThreadSensitiveContext), so under a surge a server process holds one
thread per request in flight: dozens of threads contending for the GIL, a thread started and a
database connection taken from the pool for every request. Our views are synchronous, so this
handler loads the middleware chain in sync mode and runs it on `REQUEST_THREADS` long-lived
threads (as a threaded WSGI server does); further requests wait on the event loop, which costs
nothing. The threads are asgiref's, so `async_to_sync` inside a view (the channel layer
publishing a live update) reaches the server's event loop as before.

Database connections follow Django's request rules in the thread that used them: closed (with a
pool: returned to it) when unusable or past CONN_MAX_AGE, at the start and end of each request.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler
from django.db import close_old_connections
from django.http import FileResponse, HttpRequest, HttpResponseBase


class PooledThreadsASGIHandler(ASGIHandler):
    def __init__(self, *, threads: int | None = None) -> None:
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self.threads = threads or int(settings.REQUEST_THREADS)
        self.executor = ThreadPoolExecutor(
            max_workers=self.threads, thread_name_prefix="safeops-request"
        )
        self._respond_async = sync_to_async(
            self._respond, thread_sensitive=False, executor=self.executor
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"This handler serves HTTP, not {scope['type']}.")
        await self.handle(scope, receive, send)

    def _respond(self, request: HttpRequest) -> HttpResponseBase:
        close_old_connections()
        try:
            return self.get_response(request)
        finally:
            close_old_connections()

    async def run_get_response(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = await self._respond_async(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        return response
