"""Live updates: fan a committed change out to the Channels groups that show it.

Groups: `dispatch.board.<district>` (the live board), `dispatch.request.<id>` (the requester's
page), `dispatch.officer.<person>` (the officer's phone). A message carries the event's
sequence number (`DispatchEvent.id`) so a reconnecting client can resume; position pings carry
none: they are state, and a resume re-sends every officer's current position.

Sends are scheduled on the server's event loop when one is known (fire and forget: a request
never waits for a slow client); otherwise (tests, commands) they run to completion here.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from safeops.core import serverloop

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "dispatch.event"


def board_group(district_id: int) -> str:
    return f"dispatch.board.{district_id}"


def request_group(request_id: int) -> str:
    return f"dispatch.request.{request_id}"


def officer_group(person_id: int) -> str:
    return f"dispatch.officer.{person_id}"


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _in_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def publish(*, groups: list[str], event: dict[str, Any]) -> None:
    """Send `event` to every group. Never raises: the change is committed already."""
    layer = get_channel_layer()
    if layer is None or not groups:
        return
    message = {"type": MESSAGE_TYPE, "event": event}

    async def send_all() -> None:
        for group in groups:
            await layer.group_send(group, message)

    loop = serverloop.running()
    try:
        if loop is not None:
            if _in_loop(loop):
                loop.create_task(send_all())
            else:
                asyncio.run_coroutine_threadsafe(send_all(), loop)
            return
        if _running_loop() is not None:  # a foreign loop runs here (e.g. a test driver)
            thread = threading.Thread(target=asyncio.run, args=(send_all(),))
            thread.start()
            thread.join()
            return
        async_to_sync(send_all)()
    except Exception:  # a live update is best effort; the client catches up on resume
        logger.exception("Could not publish a dispatch event to %s", groups)
