"""Live updates: fan a committed change out to the Channels groups that show it.

Groups: `dispatch.board.<district>` (the live board), `dispatch.request.<id>` (the requester's
page), `dispatch.officer.<person>` (the officer's phone). A message carries the event's
sequence number (`DispatchEvent.id`) so a reconnecting client can resume; position pings carry
none: they are state, and a resume re-sends every officer's current position.

A send is Channels' `async_to_sync(layer.group_send)`: from a view (a thread of the server's
event loop) it runs on that loop, elsewhere (the job worker, commands) on a loop of its own. It
is best effort and never raises: the change is committed, and a client resumes from its last
sequence number.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "dispatch.event"


def board_group(district_id: int) -> str:
    return f"dispatch.board.{district_id}"


def request_group(request_id: int) -> str:
    return f"dispatch.request.{request_id}"


def officer_group(person_id: int) -> str:
    return f"dispatch.officer.{person_id}"


def _loop_runs_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def publish(*, groups: list[str], event: dict[str, Any]) -> None:
    """Send `event` to every group. Never raises: the change is committed already."""
    layer = get_channel_layer()
    if layer is None or not groups:
        return
    message = {"type": MESSAGE_TYPE, "event": event}

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
