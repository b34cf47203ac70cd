"""The ASGI handler: each request's synchronous code on one long-lived thread of a bounded set."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.signals import request_started

from safeops.core.asgihandler import ExecutorPool, PooledASGIHandler


def _run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """`asyncio.run` on a thread of its own: in the whole suite an earlier test (Playwright's sync
    API, a Channels communicator) can leave an event loop set on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _get(handler: PooledASGIHandler, path: str = "/healthz") -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    done = asyncio.Event()
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    await handler(scope, receive, send)
    return status


@pytest.fixture
def threads_seen() -> Iterator[list[tuple[int, str]]]:
    """The thread each request's synchronous code started on (request_started's receiver)."""
    seen: list[tuple[int, str]] = []

    def receiver(**_kwargs: Any) -> None:
        seen.append((threading.get_ident(), threading.current_thread().name))

    request_started.connect(receiver, weak=False)
    yield seen
    request_started.disconnect(receiver)


def test_requests_one_after_another_reuse_one_thread(threads_seen: list[tuple[int, str]]) -> None:
    handler = PooledASGIHandler(threads=4)

    async def three() -> list[int]:
        return [await _get(handler) for _ in range(3)]

    assert _run(three()) == [200, 200, 200]
    assert len(threads_seen) == 3
    assert len(set(threads_seen)) == 1  # no new thread per request (Django's own handler)
    assert threads_seen[0][1].startswith("safeops-request")


def test_concurrent_requests_run_at_once_on_different_threads() -> None:
    """Two requests meet inside their synchronous code: neither waits for the other to end."""
    barrier = threading.Barrier(2, timeout=30)
    idents: list[int] = []

    def receiver(**_kwargs: Any) -> None:
        barrier.wait()  # BrokenBarrierError (a 500) if the requests ran one after another
        idents.append(threading.get_ident())

    handler = PooledASGIHandler(threads=2)

    async def two() -> list[int]:
        return list(await asyncio.gather(_get(handler), _get(handler)))

    request_started.connect(receiver, weak=False)
    try:
        assert _run(two()) == [200, 200]
    finally:
        request_started.disconnect(receiver)
    assert len(set(idents)) == 2


def test_no_more_threads_than_the_bound(threads_seen: list[tuple[int, str]]) -> None:
    handler = PooledASGIHandler(threads=2)

    async def many() -> list[int]:
        return list(await asyncio.gather(*(_get(handler) for _ in range(8))))

    assert _run(many()) == [200] * 8
    assert len(threads_seen) == 8
    assert len(set(threads_seen)) <= 2


def test_a_cancelled_wait_does_not_lose_an_executor() -> None:
    pool = ExecutorPool(1)

    async def scenario() -> None:
        first = await pool.borrow()
        waiter = asyncio.ensure_future(pool.borrow())
        await asyncio.sleep(0)
        waiter.cancel()
        pool.give_back(first)  # the cancelled waiter is skipped: the executor is idle again
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert await pool.borrow() is first

    _run(scenario())


def test_a_request_crosses_to_its_thread_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The middleware chain runs in Django's synchronous mode: no hop back to the event loop for
    the inner handler (Django's asynchronous mode takes one per request, with every middleware
    here synchronous) and the view runs on the chain's thread."""
    from asgiref import sync  # noqa: PLC0415

    hops: list[str] = []
    original = sync.AsyncToSync.__call__

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(self.awaitable, "__qualname__", "?"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sync.AsyncToSync, "__call__", counted)
    handler = PooledASGIHandler(threads=2)
    assert _run(_get(handler)) == 200
    assert hops == []
