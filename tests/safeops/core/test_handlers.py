"""The HTTP handler runs requests on a fixed pool of threads and hands database connections back."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from asgiref.testing import ApplicationCommunicator
from django.core import signals
from django.db import connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from safeops.core import serverloop
from safeops.core.handlers import PooledThreadsASGIHandler

T = TypeVar("T")


def _scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def _get(app: Any, path: str) -> int:
    communicator = ApplicationCommunicator(app, _scope(path))
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=20)
    while True:
        message = await communicator.receive_output(timeout=20)
        if not message.get("more_body", False):
            break
    await communicator.wait(timeout=20)
    return int(start["status"])


def _run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on a loop of its own (a browser test may leave one running here)."""
    with ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(lambda: asyncio.run(make())).result(timeout=60)


def test_concurrent_requests_share_the_configured_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    handler = PooledThreadsASGIHandler(threads=2)
    seen: set[int] = set()
    lock = threading.Lock()
    in_flight = 0
    most = 0

    def slow_response(request: HttpRequest) -> HttpResponse:
        nonlocal in_flight, most
        with lock:
            seen.add(threading.get_ident())
            in_flight += 1
            most = max(most, in_flight)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
        return HttpResponse("ok")

    monkeypatch.setattr(handler, "get_response", slow_response)

    loop_threads: list[int] = []

    async def burst() -> list[int]:
        loop_threads.append(threading.get_ident())
        return await asyncio.gather(*(_get(handler, "/anything") for _ in range(12)))

    assert _run(burst) == [200] * 12
    assert len(seen) <= 2  # a thread per request would show 12
    assert most == 2  # and the two did run side by side
    assert loop_threads[0] not in seen  # never on the event loop's thread


@pytest.mark.django_db(transaction=True)
def test_a_request_thread_returns_its_database_connection() -> None:
    handler = PooledThreadsASGIHandler(threads=1)
    assert _run(lambda: _get(handler, "/healthz")) == 200

    def still_connected() -> bool:
        return connections["default"].connection is not None

    # The health view queried the database in the pool's one thread; the connection is closed
    # (with a pool: handed back) when the response is done, as after a WSGI request.
    assert handler.executor.submit(still_connected).result(timeout=5) is False


def test_signals_middleware_and_view_share_the_request_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler = PooledThreadsASGIHandler(threads=1)
    threads: dict[str, int] = {}

    def view(request: HttpRequest) -> HttpResponse:
        threads["view"] = threading.get_ident()
        return HttpResponse("ok")

    def started(**_kwargs: Any) -> None:
        threads["started"] = threading.get_ident()

    def finished(**_kwargs: Any) -> None:
        threads["finished"] = threading.get_ident()

    monkeypatch.setattr(handler, "get_response", view)
    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:

        async def call() -> tuple[int, int]:
            status = await _get(handler, "/anything")
            return status, threading.get_ident()

        status, loop_thread = _run(call)
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert status == 200
    assert threads["started"] == threads["view"] == threads["finished"]
    assert threads["view"] != loop_thread


def test_a_streaming_response_is_sent_whole_then_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    handler = PooledThreadsASGIHandler(threads=1)
    closed: list[bool] = []

    def view(request: HttpRequest) -> StreamingHttpResponse:
        response = StreamingHttpResponse(iter([b"a,b\n", b"1,2\n"]))
        response._resource_closers.append(lambda: closed.append(True))
        return response

    monkeypatch.setattr(handler, "get_response", view)

    async def call() -> bytes:
        communicator = ApplicationCommunicator(handler, _scope("/export.csv"))
        await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await communicator.receive_output(timeout=20)
        assert start["status"] == 200
        body = b""
        while True:
            message = await communicator.receive_output(timeout=20)
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        await communicator.wait(timeout=20)
        return body

    assert _run(call) == b"a,b\n1,2\n"
    assert closed == [True]


def test_the_handler_notes_its_event_loop_for_live_updates() -> None:
    handler = PooledThreadsASGIHandler(threads=1)

    async def call() -> bool:
        await _get(handler, "/healthz")
        return serverloop.running() is asyncio.get_running_loop()

    assert _run(call) is True
    assert serverloop.running() is None  # that loop has stopped: publish runs in place
