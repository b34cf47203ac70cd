"""An unacknowledged P1 reaches its officer channel by channel — push, then SMS, then a voice
call — and then goes to the next officer and the supervisors' call tree, each step a job with
a receipt. The push is decrypted by a local push service, the texts and calls go to a local
Twilio-compatible provider, whose signed status callbacks complete the receipts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safeops.core.jobs import run_due_jobs
from safeops.core.notify.models import (
    ChannelPreference,
    CloseReason,
    Notification,
    ReceiptStatus,
)
from safeops.core.notify.services import notify_send
from safeops.dispatch.alerts import OFFICER_PAGE, REQUEST_PAGE
from safeops.dispatch.choices import Status
from safeops.dispatch.models import DispatchSettings
from safeops.dispatch.services import officer_duty_set, request_assign, request_transition
from tests.safeops.core.notify.conftest import (  # noqa: F401 - fixtures
    push_receiver,
    subscribe_browser,
    twilio,
)
from tests.safeops.core.notify.fakes import FakeTwilio, PushReceiver
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _after(alert: Notification, seconds: float) -> dt.datetime:
    return alert.created_at + dt.timedelta(seconds=seconds)


def _callback(client: Client, provider: FakeTwilio, index: int, status: str) -> int:
    url, form, signature = provider.status_callback(provider.requests[index], status)
    path = url.removeprefix("https://safeops.example.org")
    return client.post(path, form, HTTP_X_TWILIO_SIGNATURE=signature).status_code


def test_p1_push_then_sms_then_voice_then_next_officer_and_call_tree(
    dispatch: DispatchScenario,
    push_receiver: PushReceiver,  # noqa: F811
    twilio: FakeTwilio,  # noqa: F811
    settings: Any,
) -> None:
    settings.NOTIFY_STEPS_P1 = "in_app:0,push:0,sms:30,voice:60"
    DispatchSettings.objects.create(district=dispatch.s.district, p1_ack_seconds=90)
    officer_a = dispatch.officer_a.user
    subscribe_browser(push_receiver, officer_a, "officer-a")
    subscribe_browser(push_receiver, dispatch.dispatcher, "dispatcher")
    ChannelPreference.objects.create(user=officer_a, phone="+15025550111")
    client = Client()

    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    alert = Notification.objects.get(user=officer_a)
    assert alert.link == f"{OFFICER_PAGE}?request={request.pk}"

    # 0 s: in the app and pushed to the officer's browser (the page is closed: the push
    # service holds it for the service worker).
    assert run_due_jobs() == 1
    assert [m.path for m in push_receiver.messages] == ["/push/officer-a"]
    message = push_receiver.messages[0]
    assert message.payload["title"].startswith("P1 ")
    assert "A Middle" in message.payload["title"]
    assert message.payload["url"] == reverse("notify-open", args=[alert.pk])
    assert message.headers["urgency"] == "high"
    assert push_receiver.errors == []
    # The service worker showed it: the push receipt is delivered.
    assert client.post(message.payload["shown"]).status_code == 204
    receipts = {r.channel: r for r in alert.receipts.all()}
    assert receipts["in_app"].status == ReceiptStatus.SENT
    assert receipts["push"].status == ReceiptStatus.DELIVERED
    assert "sms" not in receipts
    assert twilio.requests == []

    # 30 s without an acknowledgement: a text message.
    assert run_due_jobs(now=_after(alert, 29)) == 0
    assert run_due_jobs(now=_after(alert, 31)) == 1
    (sms,) = twilio.requests
    assert sms.resource == "Messages"
    assert sms.form["To"] == "+15025550111"
    assert f"/notify/{alert.pk}/open/" in sms.form["Body"]
    assert _callback(client, twilio, 0, "delivered") == 204
    receipt = alert.receipts.get(channel="sms")
    assert (receipt.status, receipt.provider_ref) == (ReceiptStatus.DELIVERED, sms.sid)
    assert 29 <= (receipt.queued_at - alert.created_at).total_seconds() <= 33

    # 60 s: a voice call; nobody answers.
    assert run_due_jobs(now=_after(alert, 61)) == 1
    call = twilio.requests[1]
    assert call.resource == "Calls"
    assert "<Say" in call.form["Twiml"]
    assert call.form["StatusCallbackEvent"] == "completed"
    assert _callback(client, twilio, 1, "no-answer") == 204
    assert alert.receipts.get(channel="voice").status == ReceiptStatus.FAILED

    # 90 s: the acknowledgement timer offers the request to the next officer, whose alert
    # starts over; the first officer's alert closes; the call tree is paged.
    assert run_due_jobs(now=_after(alert, 91), limit=1) == 1
    request.refresh_from_db()
    assert (request.status, request.officer_id) == (Status.ESCALATED, dispatch.officer_b.pk)
    alert.refresh_from_db()
    assert alert.close_reason == CloseReason.SUPERSEDED
    # Officer B's first steps, the call tree's first tier and the dispatcher's first steps.
    assert run_due_jobs() == 3
    next_alert = Notification.objects.get(user=dispatch.officer_b.user)
    assert next_alert.is_open
    page = Notification.objects.get(user=dispatch.dispatcher)
    assert page.ref.startswith(f"dispatch.request:{request.pk}:escalation:")
    assert page.link == REQUEST_PAGE.format(id=request.pk)
    assert "not acknowledged" in page.title
    assert push_receiver.messages[-1].path == "/push/dispatcher"

    # Officer B acknowledges the request: their alert is acknowledged and the page is moot.
    request_transition(
        request_id=request.pk,
        to_status="acknowledged",
        actor=dispatch.officer_b.user,  # type: ignore[arg-type]
        idempotency_key="ack-b",
    )
    next_alert.refresh_from_db()
    page.refresh_from_db()
    assert next_alert.close_reason == CloseReason.ACKNOWLEDGED
    assert next_alert.acknowledged_at is not None
    assert page.close_reason == CloseReason.SUPERSEDED
    # The receipts read as a timeline on the request's page.
    client.force_login(dispatch.dispatcher)
    html = client.get(reverse("dispatch-request-detail", args=[request.pk])).content.decode()
    assert "Alerts sent" in html


def test_nothing_reaches_an_off_duty_officer(
    dispatch: DispatchScenario,
    push_receiver: PushReceiver,  # noqa: F811
) -> None:
    officer_a = dispatch.officer_a.user
    subscribe_browser(push_receiver, officer_a, "officer-a")
    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    # Off duty before the worker got to it (the request went back first).
    request_transition(
        request_id=request.pk,
        to_status="cancelled",
        actor=dispatch.dispatcher,
        idempotency_key="cancel",
    )
    officer_duty_set(officer=dispatch.officer_a, on_duty=False, actor="system:test")
    run_due_jobs()
    assert push_receiver.messages == []
    # A new alert to an off-duty officer is closed at once and sends nothing.
    late = notify_send(user_id=officer_a.pk, priority="p1", title="Test", ref="test:1")
    assert late.close_reason == CloseReason.UNAVAILABLE
    run_due_jobs()
    assert push_receiver.messages == []
    assert not late.receipts.exists()


def test_the_paths_in_alerts_are_the_urlconfs() -> None:
    assert reverse("dispatch-officer") == OFFICER_PAGE
    assert reverse("dispatch-request-detail", args=[7]) == REQUEST_PAGE.format(id=7)
