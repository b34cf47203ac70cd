"""Alerts through the JSON API with a token: an officer lists and acknowledges a P1 page (the
same service as the My alerts page: every pending escalation step is cancelled), and a
dispatcher acknowledges and resolves the board's alerts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeops.accounts.tokens import token_create
from safeops.core.models import Job, JobStatus
from safeops.core.notify.models import CloseReason, Notification
from safeops.dispatch.models import Alert
from safeops.dispatch.services import alert_raise, request_assign
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _bearer(user: Any) -> dict[str, str]:
    _, secret = token_create(user=user, name="phone", actor="system:test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_an_officer_acknowledges_a_p1_page_with_a_token_and_its_escalation_stops(
    dispatch: DispatchScenario, settings: Any
) -> None:
    settings.NOTIFY_STEPS_P1 = "in_app:0,push:0,sms:30,voice:60"
    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    page = Notification.objects.get(user=dispatch.officer_a.user)
    steps = Job.objects.filter(dedupe_key=f"notify:{page.pk}", status=JobStatus.QUEUED)
    assert steps.exists()
    client, officer = Client(), _bearer(dispatch.officer_a.user)

    mine = client.get("/api/alerts/mine", **officer)
    assert mine.status_code == 200
    assert [(a["id"], a["priority"], a["open"]) for a in mine.json()] == [(page.pk, "p1", True)]
    assert mine.json()[0]["link"] == page.link
    assert mine.json()[0]["language"] == "en"  # the officer chose none: the site's

    # Another person's token cannot see or acknowledge it.
    other = _bearer(dispatch.officer_b.user)
    assert client.post(f"/api/alerts/{page.pk}/acknowledge", **other).status_code == 404
    assert client.post("/api/alerts/999999/acknowledge", **officer).status_code == 404

    acknowledged = client.post(f"/api/alerts/{page.pk}/acknowledge", **officer)
    assert acknowledged.status_code == 200
    body = acknowledged.json()
    assert body["open"] is False and body["close_reason"] == CloseReason.ACKNOWLEDGED
    assert body["acknowledged_at"] is not None
    assert not steps.exists()  # the text and the call will not come
    assert client.get("/api/alerts/mine", **officer).json() == []
    again = client.post(f"/api/alerts/{page.pk}/acknowledge", **officer)
    assert again.json()["acknowledged_at"] == body["acknowledged_at"]
    assert client.get("/api/alerts/mine").status_code == 401


def test_a_dispatcher_acknowledges_and_resolves_board_alerts_through_the_api(
    dispatch: DispatchScenario,
) -> None:
    alert = alert_raise(district_id=dispatch.s.district.pk, message="Officer not answering")
    client, dispatcher = Client(), _bearer(dispatch.dispatcher)

    listed = client.get("/api/board/alerts", **dispatcher)
    assert listed.status_code == 200
    assert [(a["id"], a["open"]) for a in listed.json()] == [(alert.pk, True)]

    acknowledged = client.post(f"/api/board/alerts/{alert.pk}/acknowledge", **dispatcher)
    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_at"] is not None
    assert acknowledged.json()["open"] is True

    resolved = client.post(f"/api/board/alerts/{alert.pk}/resolve", **dispatcher)
    assert resolved.status_code == 200
    assert resolved.json()["open"] is False and resolved.json()["resolution"] == "resolved"
    assert Alert.objects.get(pk=alert.pk).resolved_at is not None
    assert client.get("/api/board/alerts", **dispatcher).json() == []

    twice = client.post(f"/api/board/alerts/{alert.pk}/resolve", **dispatcher)
    assert twice.status_code == 409
    assert "already resolved" in twice.json()["detail"]
    assert client.post("/api/board/alerts/999999/resolve", **dispatcher).status_code == 404


def test_officers_and_school_staff_may_not_handle_board_alerts(
    dispatch: DispatchScenario,
) -> None:
    alert = alert_raise(district_id=dispatch.s.district.pk, message="Officer not answering")
    client = Client()
    for user in (dispatch.officer_a.user, dispatch.sa):
        token = _bearer(user)
        assert client.get("/api/board/alerts", **token).status_code == 403
        assert client.post(f"/api/board/alerts/{alert.pk}/resolve", **token).status_code == 403
    assert Alert.objects.get(pk=alert.pk).resolved_at is None
