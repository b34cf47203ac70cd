"""A new WebSocket while Redis is down (REDIS_URL naming a dead port): the consumer accepts,
catches the client up from the database, says live updates are unavailable and closes with
1013 (try again later), instead of failing the connection."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import socket
import time
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.routing import URLRouter
from django.conf import settings
from django.test import override_settings

from safeops.dispatch.consumers import CLOSE_TRY_AGAIN_LATER, DEGRADED_RETRY_SECONDS
from safeops.routing import websocket_urlpatterns
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = pytest.mark.django_db(transaction=True)
DEAD_REDIS_PORT = 6390


def _dead_redis_url() -> str:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", DEAD_REDIS_PORT)) == 0:
            pytest.skip(f"something listens on port {DEAD_REDIS_PORT}; the test needs it unused")
    return f"redis://127.0.0.1:{DEAD_REDIS_PORT}/4"


def _scope(path: str, user: Any) -> dict[str, Any]:
    return {
        "type": "websocket",
        "path": path,
        "user": user,
        "headers": [],
        "query_string": b"",
        "subprotocols": [],
    }


async def _session(path: str, user: Any) -> list[dict[str, Any]]:
    """Connect, resume from 0 and collect what the server sends until it closes."""
    socket_ = ApplicationCommunicator(URLRouter(websocket_urlpatterns), _scope(path, user))
    await socket_.send_input({"type": "websocket.connect"})
    received = [await socket_.receive_output(timeout=10)]
    if received[0]["type"] == "websocket.accept":
        resume = json.dumps({"type": "resume", "last_seq": 0})
        await socket_.send_input({"type": "websocket.receive", "text": resume})
        while received[-1]["type"] != "websocket.close":
            received.append(await socket_.receive_output(timeout=10))
    await socket_.send_input({"type": "websocket.disconnect", "code": 1000})
    await socket_.wait(timeout=10)
    return received


def test_a_board_socket_degrades_to_catch_up_when_redis_is_down(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file(summary="Smoke in the science wing")
    layers = {
        "default": {
            "BACKEND": settings.REDIS_CHANNEL_LAYER,  # the layer REDIS_URL selects
            "CONFIG": {"hosts": [_dead_redis_url()]},
        }
    }
    started = time.monotonic()
    # The session runs on a thread of its own: a browser test earlier in the run leaves an
    # event loop running on this one.
    with (
        override_settings(CHANNEL_LAYERS=layers),
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool,
    ):
        session = _session("/ws/dispatch/board/", dispatch.dispatcher)
        received = pool.submit(asyncio.run, session).result(timeout=60)
    assert time.monotonic() - started < 8
    kinds = [m["type"] for m in received]
    assert kinds == ["websocket.accept", "websocket.send", "websocket.send", "websocket.close"]
    resumed, degraded = (json.loads(m["text"]) for m in received[1:3])
    assert resumed["type"] == "resumed"
    assert request.pk in {e["request"]["id"] for e in resumed["events"] if "request" in e}
    assert degraded["type"] == "degraded"
    assert degraded["retry_seconds"] == DEGRADED_RETRY_SECONDS
    assert "unavailable" in degraded["detail"]
    assert received[-1]["code"] == CLOSE_TRY_AGAIN_LATER
