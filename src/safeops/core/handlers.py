"""The ASGI handler for HTTP: Django's, with views run on a fixed pool of threads.

Django's ASGIHandler runs each request's synchronous code (middleware and view) in a new thread
of its own (asgiref's ThreadSensitiveContext), so under a surge a server process holds one
thread per request in flight: dozens of threads contending for the GIL, a thread started and a
database connection taken from the pool for every request. Our views are synchronous, so this
handler loads the middleware chain in sync mode and runs it on `REQUEST_THREADS` long-lived
threads (as a threaded WSGI server does); further requests wait on the event loop, which costs
nothing. The handler notes its event loop (core.serverloop), so a view's live update is
scheduled there without the request thread waiting for it.

Database connections follow Django's request rules in the thread that used them: closed (with a
pool: returned to it) when unusable or past CONN_MAX_AGE, at the start and end of each request
(request_started and request_finished are sent on the request's own thread, as under WSGI).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse, HttpResponseBase
from django.urls import set_script_prefix

from safeops.core import serverloop


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
        self._close_async = sync_to_async(
            self._close, thread_sensitive=False, executor=self.executor
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"This handler serves HTTP, not {scope['type']}.")
        serverloop.remember(asyncio.get_running_loop())
        await self.handle(scope, receive, send)

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Django's ASGIHandler.handle, with one trip to a request thread instead of three.

        Django sends request_started and request_finished from the event loop, so their
        receivers (close_old_connections among them) run on asgiref's one shared thread, not on
        the thread whose connection served the request. Here, as under WSGI, the signals, the
        middleware, the view and closing the response run on the same request thread. A
        streaming response is closed once its body has been sent."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            response = await self._respond_async(scope, body_file)
            try:
                await self.send_response(response, send)
            except asyncio.CancelledError:
                pass  # the client went away mid-response
            finally:
                if response.streaming:
                    await self._close_async(response)
        finally:
            body_file.close()

    def _respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        response: HttpResponseBase | None = (
            error_response if request is None else self.get_response(request)
        )
        if response is None:  # create_request gives a request or an error response
            raise RuntimeError("Django built neither a request nor an error response.")
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if not response.streaming:
            response.close()  # sends request_finished: the connection is returned here
        return response

    @staticmethod
    def _close(response: HttpResponseBase) -> None:
        response.close()
