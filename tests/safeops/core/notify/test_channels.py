"""The channels one by one: Web Push (decrypted by a local push service), the
Twilio-compatible provider with its signed callbacks, the console and file backends, the
person's preferences and quiet hours, and the step plan's settings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from safeops.core.jobs import run_due_jobs
from safeops.core.models import Job, JobStatus
from safeops.core.notify.config import parse_steps
from safeops.core.notify.models import (
    ChannelPreference,
    CloseReason,
    Notification,
    PushSubscription,
    ReceiptStatus,
)
from safeops.core.notify.services import notification_acknowledge, notify_close, notify_send
from tests.safeops.core.notify.conftest import subscribe_browser
from tests.safeops.core.notify.fakes import FakeTwilio, PushReceiver
from tests.safeops.factories import UserFactory

pytestmark = pytest.mark.django_db


def _receipts(notification: Notification) -> dict[str, tuple[str, str]]:
    return {r.channel: (r.status, r.detail) for r in notification.receipts.all()}


def test_a_push_reaches_every_browser_and_a_gone_one_is_forgotten(
    push_receiver: PushReceiver,
) -> None:
    user = UserFactory()
    subscribe_browser(push_receiver, user, "phone")
    subscribe_browser(push_receiver, user, "laptop")
    push_receiver.gone.add("/push/laptop")
    alert = notify_send(
        user_id=user.pk,
        priority="p2",
        title="P2 Person in crisis",
        body="Open the request",
        ref="test:1",
        steps=[("push", 0)],
    )
    assert run_due_jobs() == 1
    (message,) = push_receiver.messages
    assert message.payload["title"] == "P2 Person in crisis"
    assert message.payload["body"] == "Open the request"
    assert message.payload["priority"] == "p2"
    assert message.headers["urgency"] == "normal"
    assert message.jwt_claims["sub"] == "mailto:chief@example.org"
    status, detail = _receipts(alert)["push"]
    assert status == ReceiptStatus.SENT
    assert "1 browser(s)" in detail and "HTTP 410" in detail
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        f"{push_receiver.base}/push/phone"
    ]


def test_without_a_subscription_push_fails_and_the_next_step_comes_at_once(
    push_receiver: PushReceiver, twilio: FakeTwilio
) -> None:
    user = UserFactory()
    ChannelPreference.objects.create(user=user, phone="+15025550122")
    alert = notify_send(
        user_id=user.pk, priority="p1", title="P1", ref="t:2", steps=[("push", 0), ("sms", 30)]
    )
    assert run_due_jobs() == 1
    receipts = _receipts(alert)
    assert receipts["push"][0] == ReceiptStatus.FAILED
    assert receipts["sms"][0] == ReceiptStatus.SENT
    assert [r.form["To"] for r in twilio.requests] == ["+15025550122"]


def test_a_provider_refusal_is_a_failed_receipt_naming_the_reason(twilio: FakeTwilio) -> None:
    user = UserFactory()
    ChannelPreference.objects.create(user=user, phone="+15025550122")
    twilio.refuse = True
    alert = notify_send(user_id=user.pk, priority="p1", title="P1", ref="t:3", steps=[("sms", 0)])
    run_due_jobs()
    status, detail = _receipts(alert)["sms"]
    assert status == ReceiptStatus.FAILED
    assert "HTTP 400" in detail and "'To' number is not valid" in detail


def test_a_failed_delivery_callback_brings_the_next_step_forward(twilio: FakeTwilio) -> None:
    user = UserFactory()
    ChannelPreference.objects.create(user=user, phone="+15025550122")
    alert = notify_send(
        user_id=user.pk, priority="p1", title="P1", ref="t:4", steps=[("sms", 0), ("voice", 300)]
    )
    run_due_jobs()
    url, form, signature = twilio.status_callback(twilio.requests[0], "undelivered")
    path = url.removeprefix("https://safeops.example.org")
    client = Client()
    assert client.post(path, form, HTTP_X_TWILIO_SIGNATURE="forged").status_code == 403
    assert _receipts(alert)["sms"][0] == ReceiptStatus.SENT
    assert client.post(path, form, HTTP_X_TWILIO_SIGNATURE=signature).status_code == 204
    assert _receipts(alert)["sms"][0] == ReceiptStatus.FAILED
    run_due_jobs()  # not 300 s later: now
    assert [r.resource for r in twilio.requests] == ["Messages", "Calls"]


def test_the_file_backend_writes_one_line_per_message(settings: Any, tmp_path: Path) -> None:
    settings.NOTIFY_SMS_BACKEND = "file"
    settings.NOTIFY_SMS_FILE = str(tmp_path / "sms.jsonl")
    user = UserFactory()
    ChannelPreference.objects.create(user=user, phone="+15025550133")
    alert = notify_send(
        user_id=user.pk, priority="p1", title="Drill", ref="t:5", steps=[("sms", 0), ("voice", 0)]
    )
    run_due_jobs()
    lines = [json.loads(line) for line in Path(settings.NOTIFY_SMS_FILE).read_text().splitlines()]
    assert [line["to"] for line in lines] == ["+15025550133", "+15025550133"]
    assert lines[0]["body"].startswith("Drill.")
    assert lines[1]["say"] == "Drill."
    assert {s for s, _ in _receipts(alert).values()} == {ReceiptStatus.SENT}


def test_quiet_hours_spare_p1_only_and_a_turned_off_channel_is_skipped(settings: Any) -> None:
    user = UserFactory()
    now = timezone.localtime()
    ChannelPreference.objects.create(
        user=user,
        phone="+15025550144",
        voice=False,
        quiet_from=(now - dt.timedelta(hours=1)).time(),
        quiet_until=(now + dt.timedelta(hours=1)).time(),
    )
    routine = notify_send(
        user_id=user.pk, priority="p3", title="P3", ref="t:6", steps=[("in_app", 0), ("sms", 0)]
    )
    urgent = notify_send(
        user_id=user.pk, priority="p1", title="P1", ref="t:7", steps=[("sms", 0), ("voice", 0)]
    )
    run_due_jobs()
    assert _receipts(routine)["in_app"][0] == ReceiptStatus.SENT
    assert _receipts(routine)["sms"][0] == ReceiptStatus.SKIPPED
    assert _receipts(urgent)["sms"][0] == ReceiptStatus.SENT  # console backend
    assert _receipts(urgent)["voice"] == (
        ReceiptStatus.SKIPPED,
        "the person turned this channel off",
    )


def test_closing_cancels_the_next_step_and_acknowledging_marks_the_receipts() -> None:
    user = UserFactory()
    ChannelPreference.objects.create(user=user, phone="+15025550155")
    alert = notify_send(
        user_id=user.pk, priority="p1", title="P1", ref="t:8", steps=[("in_app", 0), ("sms", 30)]
    )
    run_due_jobs()
    assert Job.objects.filter(dedupe_key=f"notify:{alert.pk}", status=JobStatus.QUEUED).exists()
    notification_acknowledge(notification_id=alert.pk, user=user)
    alert.refresh_from_db()
    assert alert.close_reason == CloseReason.ACKNOWLEDGED
    assert _receipts(alert)["in_app"][0] == ReceiptStatus.ACKNOWLEDGED
    assert not Job.objects.filter(dedupe_key=f"notify:{alert.pk}", status=JobStatus.QUEUED).exists()
    assert run_due_jobs(now=timezone.now() + dt.timedelta(minutes=5)) == 0
    assert "sms" not in _receipts(alert)
    other = notify_send(user_id=user.pk, priority="p2", title="P2", ref="t:9", steps=[("sms", 60)])
    assert notify_close(ref="t:9", reason=CloseReason.SUPERSEDED) == 1
    assert run_due_jobs(now=timezone.now() + dt.timedelta(minutes=5)) == 0
    assert not other.receipts.exists()


def test_the_step_plan_is_checked() -> None:
    assert parse_steps("push:0, sms:30,voice:60", name="X") == [
        ("push", 0),
        ("sms", 30),
        ("voice", 60),
    ]
    with pytest.raises(ImproperlyConfigured, match="'pager:5' is not channel:seconds"):
        parse_steps("push:0,pager:5", name="NOTIFY_STEPS_P1")
    with pytest.raises(ImproperlyConfigured, match="in time order"):
        parse_steps("sms:30,push:0", name="NOTIFY_STEPS_P1")


def test_vapid_keys_command_prints_a_pair_that_signs(
    settings: Any, push_receiver: PushReceiver, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("vapid_keys")
    values = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    settings.VAPID_PUBLIC_KEY = values["VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = values["VAPID_PRIVATE_KEY"]
    user = UserFactory()
    subscribe_browser(push_receiver, user, "b")
    notify_send(user_id=user.pk, priority="p1", title="Key check", ref="t:10", steps=[("push", 0)])
    run_due_jobs()
    assert push_receiver.messages[0].vapid_key == values["VAPID_PUBLIC_KEY"]


def test_a_step_whose_worker_died_is_sent_by_the_next_worker(twilio: FakeTwilio) -> None:
    user = UserFactory()
    ChannelPreference.objects.create(user=user, phone="+15025550166")
    alert = notify_send(user_id=user.pk, priority="p1", title="P1", ref="t:11", steps=[("sms", 0)])
    # A worker claimed the job, wrote the step's receipt, and died before sending.
    job = Job.objects.get(dedupe_key=f"notify:{alert.pk}")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=1,
        claimed_by="dead-worker",
        claimed_until=timezone.now() - dt.timedelta(seconds=1),
    )
    alert.receipts.create(step=0, channel="sms", queued_at=timezone.now())
    assert run_due_jobs() == 1
    assert _receipts(alert)["sms"][0] == ReceiptStatus.SENT
    assert len(twilio.requests) == 1
