"""Django's ASGI handler with each request's synchronous code on a long-lived thread.

Django's `ASGIHandler` enters an asgiref `ThreadSensitiveContext()` per request, so a request's
middleware, view and response closing run on a thread of its own: asgiref creates a new
one-thread executor for the context and shuts it down (on one more thread) when the request
ends. A dispatch call thus started and joined two threads, and opened its database
connection wrapper anew on the new thread (docs/decisions/0021-request-cost.md).

asgiref (3.10+) lets the caller give that context its executor:
`ThreadSensitiveContext(executor=...)` runs the block's thread-sensitive calls on it and leaves
it running at exit. This handler keeps a bounded set of one-thread executors per process and
lends one to each request for its duration: the same isolation as Django's (one request's
synchronous code on one thread, never shared with another request at the same time), without a
thread per request, and at most `SERVER_THREADS` requests run their synchronous code at once
(the rest wait their turn on the event loop instead of all contending for the GIL and the
database pool).

The middleware chain is loaded in Django's synchronous mode and a request crosses to its thread
once: Django's asynchronous mode, with every middleware here synchronous, crosses to the thread
for the chain, back to the event loop for the inner handler, and to the thread again for each
`process_view` and for the view (docs/decisions/0021-request-cost.md, "One crossing").
`__call__`, `load_middleware` and `get_response_async` are overridden; Django's `handle` does
the rest.
"""

from __future__ import annotations

import asyncio
import collections
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class ExecutorPool:
    """One-thread executors lent to one request at a time, at most `size` of them.

    Used from one event loop (the server process's): no lock. Executors are made on first need,
    after the server forked, and a fork drops the parent's (its threads do not survive it)."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._pid = os.getpid()
        self._made = 0
        self._idle: list[ThreadPoolExecutor] = []
        self._waiting: collections.deque[asyncio.Future[ThreadPoolExecutor]] = collections.deque()

    def _after_fork(self) -> None:
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._made = 0
            self._idle = []
            self._waiting.clear()

    async def borrow(self) -> ThreadPoolExecutor:
        self._after_fork()
        if self._idle:
            return self._idle.pop()
        if self._made < self.size:
            self._made += 1
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="safeops-request")
        turn: asyncio.Future[ThreadPoolExecutor] = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            return await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.give_back(turn.result())  # handed over just as the request was cancelled
            raise

    def give_back(self, executor: ThreadPoolExecutor) -> None:
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(executor)
                return
        self._idle.append(executor)


class PooledASGIHandler(ASGIHandler):
    """`ASGIHandler` whose requests borrow a long-lived thread from `ExecutorPool`."""

    def __init__(self, *, threads: int) -> None:
        super().__init__()
        self.executors = ExecutorPool(threads)

    def load_middleware(self, is_async: bool = False) -> None:
        """The synchronous chain, whatever the caller asks (`ASGIHandler.__init__` asks async)."""
        del is_async
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        """Django's synchronous `get_response` (middleware, view, error logging) in one crossing
        to the request's thread."""
        response: HttpResponseBase = await sync_to_async(self.get_response, thread_sensitive=True)(
            request
        )
        return response

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = await self.executors.borrow()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.executors.give_back(executor)
