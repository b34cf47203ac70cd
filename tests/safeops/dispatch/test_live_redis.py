"""Live updates through Redis (channels-redis), as production runs them with REDIS_URL set and
several server processes: a board WebSocket receives a new request published via Redis."""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.test import override_settings

from safeops.dispatch import live
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.dispatch.sockets import next_message, socket_for

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = os.environ.get("SAFEOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture
def redis_layer() -> Iterator[None]:
    parts = urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1).close()
    except OSError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}); set SAFEOPS_TEST_REDIS_URL")
    layers = {
        "default": {
            "BACKEND": settings.REDIS_CHANNEL_LAYER,  # the layer production runs
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"safeops-test-{uuid.uuid4().hex[:8]}"},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        yield


def test_a_board_receives_a_new_request_through_redis(
    redis_layer: None, asgi_server: str, dispatch: DispatchScenario
) -> None:
    assert type(get_channel_layer()).__name__ == "RedisPubSubChannelLayer"
    # The scenario's officers went on duty in set-up: their board updates, queued to the sender
    # thread, are sent before the board connects (else one could arrive before the request's).
    assert live.flush(timeout=5)
    with socket_for(asgi_server, dispatch.dispatcher, "/ws/dispatch/board/") as board:
        board.send(json.dumps({"type": "resume", "last_seq": 10**9}))
        assert next_message(board)["type"] == "resumed"
        request = dispatch.file(summary="Intruder at the side door")
        event = next_message(board)["event"]
    assert event["request"]["id"] == request.pk
    assert event["request"]["summary"] == "Intruder at the side door"


def test_updates_sent_in_the_background_arrive_in_order(
    redis_layer: None, asgi_server: str, dispatch: DispatchScenario
) -> None:
    """With Redis, `publish` queues to the process's sender thread (the request never waits for
    Redis); the board still receives every update, in the order the changes committed."""
    assert live.flush(timeout=5)  # the set-up's duty updates are sent before the board connects
    with socket_for(asgi_server, dispatch.dispatcher, "/ws/dispatch/board/") as board:
        board.send(json.dumps({"type": "resume", "last_seq": 10**9}))
        assert next_message(board)["type"] == "resumed"
        filed = [dispatch.file(summary=f"Call {n}").pk for n in range(6)]
        assert live.flush(timeout=5)
        received = [next_message(board)["event"]["request"]["id"] for _ in filed]
    assert received == filed
