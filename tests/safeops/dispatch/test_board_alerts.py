"""Board alerts are acknowledged, resolved, and resolve themselves when their request closes.

The reported failure: "P1 #9 not acknowledged … no other officer is available" stayed on the
board for 15 minutes after #9 was cancelled (while many officers were free again), and could
not be dismissed. Reproduced first: the escalation alert, then the cancel, then the board.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from safeops.core.jobs import run_due_jobs
from safeops.core.models import AuditEntry
from safeops.dispatch.models import Alert
from safeops.dispatch.services import (
    alert_acknowledge,
    alert_raise,
    alert_resolve,
    officer_duty_set,
    request_assign,
    request_transition,
)
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _board_alerts(client: Client) -> list[dict[str, object]]:
    alerts: list[dict[str, object]] = client.get("/dispatch/board/state.json").json()["alerts"]
    return alerts


def _unacknowledged_p1_with_no_other_officer(dispatch: DispatchScenario) -> int:
    officer_duty_set(officer=dispatch.officer_b, on_duty=False, actor="system:test")
    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    # Every job due by then: the acknowledgement timer, and the officer's alert steps (push, SMS).
    assert run_due_jobs(now=timezone.now() + dt.timedelta(seconds=61)) >= 1
    return request.pk


def test_a_cancelled_request_takes_its_escalation_alert_off_the_board(
    dispatch: DispatchScenario,
) -> None:
    request_id = _unacknowledged_p1_with_no_other_officer(dispatch)
    board = Client()
    board.force_login(dispatch.dispatcher)
    shown = _board_alerts(board)
    assert len(shown) == 1
    assert f"#{request_id}" in str(shown[0]["message"])
    assert "no other officer is available" in str(shown[0]["message"])
    officer_duty_set(officer=dispatch.officer_b, on_duty=True, actor="system:test")
    request_transition(request_id=request_id, to_status="cancelled", actor=dispatch.dispatcher)
    assert _board_alerts(board) == []
    alert = Alert.objects.get()
    assert alert.resolution == "request_closed"
    assert alert.resolved_by == dispatch.dispatcher.username
    # The re-armed timer finds the request closed: no new alert.
    run_due_jobs(now=timezone.now() + dt.timedelta(minutes=15))
    assert Alert.objects.count() == 1
    assert _board_alerts(board) == []


def test_the_rearmed_timer_does_not_pile_up_alerts(dispatch: DispatchScenario) -> None:
    _unacknowledged_p1_with_no_other_officer(dispatch)
    for minutes in (2, 3, 4):
        run_due_jobs(now=timezone.now() + dt.timedelta(minutes=minutes))
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 1


def test_a_cleared_request_resolves_its_alert_too(dispatch: DispatchScenario) -> None:
    request = dispatch.file(priority="p1")
    alert = alert_raise(district_id=request.district_id, request=request, message="P1 waiting")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    request_transition(request_id=request.pk, to_status="on_scene", actor=dispatch.dispatcher)
    alert.refresh_from_db()
    assert alert.is_open  # still open while the request is
    request_transition(
        request_id=request.pk,
        to_status="cleared",
        actor=dispatch.dispatcher,
        disposition="resolved_on_scene",
    )
    alert.refresh_from_db()
    assert (alert.is_open, alert.resolution) == (False, "request_closed")


def test_a_dispatcher_acknowledges_then_resolves_an_alert_on_the_board(
    dispatch: DispatchScenario,
) -> None:
    alert = alert_raise(district_id=dispatch.s.district.pk, message="Tip: imminent harm")
    board = Client()
    board.force_login(dispatch.dispatcher)
    acked = board.post(
        f"/dispatch/board/alerts/{alert.pk}/acknowledge/", HTTP_ACCEPT="application/json"
    )
    assert acked.status_code == 200
    assert acked.json()["alert"]["acknowledged_by"] == dispatch.dispatcher.username
    [shown] = _board_alerts(board)
    assert shown["acknowledged_at"] is not None and shown["open"] is True
    # Acknowledging again keeps the first acknowledgement.
    first = Alert.objects.get().acknowledged_at
    alert_acknowledge(alert_id=alert.pk, actor=dispatch.chief)
    assert Alert.objects.get().acknowledged_at == first
    resolved = board.post(f"/dispatch/board/alerts/{alert.pk}/resolve/")
    assert resolved.status_code == 302  # without the script: back to the board
    assert _board_alerts(board) == []
    assert Alert.objects.get().resolution == "resolved"
    again = board.post(f"/dispatch/board/alerts/{alert.pk}/resolve/")
    assert again.status_code == 409
    notes = set(AuditEntry.objects.values_list("note", flat=True))
    assert {"alert acknowledged", "alert resolved"} <= notes


def test_only_supervisors_handle_alerts(dispatch: DispatchScenario) -> None:
    alert = alert_raise(district_id=dispatch.s.district.pk, message="Heads up")
    sa = Client()
    sa.force_login(dispatch.sa)
    assert sa.post(f"/dispatch/board/alerts/{alert.pk}/resolve/").status_code == 403
    with pytest.raises(Exception, match="Only dispatchers and the security chief"):
        alert_resolve(alert_id=alert.pk, actor=dispatch.sa)
    assert Alert.objects.get().is_open
