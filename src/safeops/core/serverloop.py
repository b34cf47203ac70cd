"""The server process's event loop, for synchronous code that schedules work on it.

A view runs on a request thread; a live update it publishes is a coroutine on the loop that
owns the channel layer's connections. The HTTP handler and the WebSocket consumers note that
loop on every call, so a publish can be scheduled there without waiting, from the first request
a fresh server process answers.
"""

from __future__ import annotations

import asyncio

_loop: asyncio.AbstractEventLoop | None = None


def remember(loop: asyncio.AbstractEventLoop) -> None:
    global _loop
    _loop = loop


def running() -> asyncio.AbstractEventLoop | None:
    """The remembered loop while it runs; None in tests and commands without a server."""
    loop = _loop
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    return loop
