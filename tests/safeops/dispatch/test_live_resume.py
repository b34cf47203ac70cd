"""Live updates over a real WebSocket (uvicorn in a thread): a board client gets each change,
and after reconnecting catches up from the last sequence number it saw."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from websockets.exceptions import ConnectionClosed, InvalidStatus

from safeops.dispatch.services import request_assign, request_transition
from safeops.staff.services import assignment_end
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.dispatch.sockets import next_message, socket_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reconnecting_board_catches_up_on_what_it_missed(
    asgi_server: str, dispatch: DispatchScenario
) -> None:
    with socket_for(asgi_server, dispatch.dispatcher, "/ws/dispatch/board/") as board:
        board.send(json.dumps({"type": "resume", "last_seq": 10**9}))
        assert next_message(board)["type"] == "resumed"
        request = dispatch.file()
        live = next_message(board)["event"]
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
    with socket_for(asgi_server, dispatch.dispatcher, "/ws/dispatch/board/") as again:
        again.send(json.dumps({"type": "resume", "last_seq": live["seq"]}))
        missed = [e for e in next_message(again)["events"] if e["seq"] > live["seq"]]
    assert [e["request"]["status"] for e in missed] == ["assigned", "acknowledged"]


def test_a_requester_cannot_open_the_board(asgi_server: str, dispatch: DispatchScenario) -> None:
    with pytest.raises(InvalidStatus):
        socket_for(asgi_server, dispatch.sa, "/ws/dispatch/board/").close()


def test_an_open_board_closes_when_its_user_is_deactivated(
    asgi_server: str, dispatch: DispatchScenario
) -> None:
    """Access checked at connect is not enough: a deactivated dispatcher's open board is closed
    at once (4403), without waiting for a reconnect."""
    with socket_for(asgi_server, dispatch.dispatcher, "/ws/dispatch/board/") as board:
        board.send(json.dumps({"type": "resume", "last_seq": 10**9}))
        assert next_message(board)["type"] == "resumed"
        dispatch.dispatcher.is_active = False
        dispatch.dispatcher.save(update_fields=["is_active"])
        with pytest.raises(ConnectionClosed) as closed:
            board.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


def test_an_open_board_stays_open_when_an_unrelated_change_is_saved(
    asgi_server: str, dispatch: DispatchScenario
) -> None:
    with socket_for(asgi_server, dispatch.dispatcher, "/ws/dispatch/board/") as board:
        board.send(json.dumps({"type": "resume", "last_seq": 10**9}))
        assert next_message(board)["type"] == "resumed"
        dispatch.dispatcher.first_name = "Renamed"
        dispatch.dispatcher.save(update_fields=["first_name"])
        request = dispatch.file()
        assert next_message(board)["event"]["request"]["id"] == request.pk


def test_an_sas_open_request_page_closes_when_their_assignment_ends(
    asgi_server: str, dispatch: DispatchScenario
) -> None:
    """The SA watches a request at their school (filed by the chief); their assignment ends."""
    request = dispatch.file(actor=dispatch.chief)
    path = f"/ws/dispatch/requests/{request.pk}/"
    with socket_for(asgi_server, dispatch.sa, path) as page:
        page.send(json.dumps({"type": "resume", "last_seq": 10**9}))
        assert next_message(page)["type"] == "resumed"
        assignment_end(
            assignment=dispatch.s.assignment_a, ends_on=timezone.localdate(), actor=dispatch.chief
        )
        with pytest.raises(ConnectionClosed) as closed:
            page.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
