"""Live updates over a real WebSocket (uvicorn in a thread): a board client gets each change,
and after reconnecting catches up from the last sequence number it saw."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from safeops.dispatch.services import request_assign, request_transition
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = pytest.mark.django_db(transaction=True)


def _socket(base: str, user: Any, path: str) -> ClientConnection:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return connect(
        base.replace("http://", "ws://") + path,
        additional_headers={"Cookie": cookie},
        origin=base,
        open_timeout=10,
    )


def _next(ws: ClientConnection) -> Any:
    return json.loads(ws.recv(timeout=10))


def test_a_reconnecting_board_catches_up_on_what_it_missed(
    asgi_server: str, dispatch: DispatchScenario
) -> None:
    with _socket(asgi_server, dispatch.dispatcher, "/ws/dispatch/board/") as board:
        board.send(json.dumps({"type": "resume", "last_seq": 10**9}))
        assert _next(board)["type"] == "resumed"
        request = dispatch.file()
        live = _next(board)["event"]
        assert live["request"]["status"] == "new"
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    request_transition(
        request_id=request.pk,
        to_status="acknowledged",
        actor=dispatch.officer_a.user,  # type: ignore[arg-type]
        idempotency_key="k",
    )
    with _socket(asgi_server, dispatch.dispatcher, "/ws/dispatch/board/") as again:
        again.send(json.dumps({"type": "resume", "last_seq": live["seq"]}))
        missed = [e for e in _next(again)["events"] if e["seq"] > live["seq"]]
    assert [e["request"]["status"] for e in missed] == ["assigned", "acknowledged"]


def test_a_requester_cannot_open_the_board(asgi_server: str, dispatch: DispatchScenario) -> None:
    with pytest.raises(InvalidStatus):
        _socket(asgi_server, dispatch.sa, "/ws/dispatch/board/").close()
