"""Live updates: fan a committed change out to the Channels groups that show it.

Groups: `dispatch.board.<district>` (the live board), `dispatch.request.<id>` (the requester's
page), `dispatch.officer.<person>` (the officer's phone). A message carries the event's
sequence number (`DispatchEvent.id`) so a reconnecting client can resume; position pings carry
none: they are state, and a resume re-sends every officer's current position.

With Redis, a send is queued to a per-process sender thread (`_BackgroundSender`), so the
request never waits for Redis; with the in-memory layer (one process, tests) it is sent before
`publish` returns. Either way it is best effort and never raises: the change is committed, and
a client resumes from its last sequence number.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "dispatch.event"


def board_group(district_id: int) -> str:
    return f"dispatch.board.{district_id}"


def request_group(request_id: int) -> str:
    return f"dispatch.request.{request_id}"


def officer_group(person_id: int) -> str:
    return f"dispatch.officer.{person_id}"


def access_group(user_id: int) -> str:
    """Every live connection of one user: told when what grants their access changes."""
    return f"dispatch.access.{user_id}"


ACCESS_MESSAGE_TYPE = "dispatch.access_changed"


def access_changed(*, user_ids: list[int]) -> None:
    """Tell each user's open connections to check their access again (sent after commit)."""
    layer = get_channel_layer()
    if layer is None or not user_ids:
        return
    for user_id in user_ids:
        _send(layer, [access_group(user_id)], {"type": ACCESS_MESSAGE_TYPE})


def _loop_runs_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _BackgroundSender:
    """One thread per server process with its own event loop, sending group messages in order.

    With Redis, a send waited for Redis on the request's thread (a fifth of a server process's
    time in a surge). The change is committed before anything is queued here, so the request
    answers at once and the message follows within milliseconds. The thread starts on first use
    in each process (gunicorn forks after loading the app) and is drained on exit.
    """

    MAX_PENDING = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending = 0
        self._idle = threading.Condition(self._lock)

    def _start(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()

        threading.Thread(target=run, name="safeops-live-sender", daemon=True).start()
        ready.wait()
        return loop

    def submit(self, layer: Any, groups: list[str], message: dict[str, Any]) -> None:
        with self._lock:
            if self._pid != os.getpid() or self._loop is None:
                self._pid = os.getpid()
                self._pending = 0
                self._loop = self._start()
            if self._pending >= self.MAX_PENDING:
                logger.warning("Live update dropped: %d waiting to be sent", self._pending)
                return
            self._pending += 1
            loop = self._loop

        async def send_all() -> None:
            try:
                for group in groups:
                    await layer.group_send(group, message)
            except Exception:  # best effort; the client catches up on resume
                logger.exception("Could not publish a dispatch event to %s", groups)
            finally:
                with self._lock:
                    self._pending -= 1
                    if self._pending == 0:
                        self._idle.notify_all()

        # Scheduled in submission order on one loop, so each group sees events in order.
        loop.call_soon_threadsafe(lambda: loop.create_task(send_all()))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued message has been handed to the layer; False on timeout."""
        with self._lock:
            if self._pid != os.getpid():
                return True
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)


_sender = _BackgroundSender()
atexit.register(_sender.flush, 2.0)


def flush(timeout: float = 5.0) -> bool:
    """Wait for this process's queued live updates to be sent (tests, shutdown)."""
    return _sender.flush(timeout)


def _sends_in_background(layer: Any) -> bool:
    # The in-memory layer lives in this process only, and tests read it straight after a call.
    return not isinstance(layer, InMemoryChannelLayer)


def publish(*, groups: list[str], event: dict[str, Any]) -> None:
    """Send `event` to every group. Never raises: the change is committed already."""
    layer = get_channel_layer()
    if layer is None or not groups:
        return
    _send(layer, groups, {"type": MESSAGE_TYPE, "event": event})


def _send(layer: Any, groups: list[str], message: dict[str, Any]) -> None:
    if _sends_in_background(layer):
        _sender.submit(layer, list(groups), message)
        return

    async def send_all() -> None:
        for group in groups:
            await layer.group_send(group, message)

    def send() -> None:
        try:
            async_to_sync(send_all)()
        except Exception:  # a live update is best effort; the client catches up on resume
            logger.exception("Could not publish a dispatch event to %s", groups)

    if _loop_runs_here():
        # async_to_sync cannot wait in a thread whose loop runs (a test driver's): send from a
        # thread of its own.
        thread = threading.Thread(target=send)
        thread.start()
        thread.join()
        return
    send()
