"""A surge of alerts: the job workers take the due steps in batches (a few queries per batch,
not a dozen per alert), send the pushes at once on the send pool, sign one VAPID token per push
service, and still settle every step right (off duty, closed meanwhile, nowhere to push)."""

from __future__ import annotations

from typing import Any

import pytest

from safeops.core.jobs import run_due_jobs
from safeops.core.models import Job, JobStatus
from safeops.core.notify import availability
from safeops.core.notify.models import (
    ChannelPreference,
    CloseReason,
    Notification,
    PushSubscription,
    ReceiptStatus,
)
from safeops.core.notify.services import notify_close, notify_send
from safeops.dispatch.models import OfficerStatus
from safeops.staff.choices import Role
from tests.safeops.core.notify.fakes import FakeTwilio, PushReceiver
from tests.safeops.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ALERTS = 40


def _alerts(receiver: PushReceiver, count: int) -> list[Notification]:
    users = [UserFactory() for _ in range(count)]
    for index, user in enumerate(users):
        info = receiver.subscribe(f"u{index}")
        PushSubscription.objects.create(
            user=user,
            endpoint=info["endpoint"],
            p256dh=info["keys"]["p256dh"],
            auth=info["keys"]["auth"],
        )
    return [
        notify_send(user_id=user.pk, priority="p1", title="P1 surge", ref=f"surge:{user.pk}")
        for user in users
    ]


def test_a_surge_of_first_steps_costs_a_few_queries_per_batch_not_per_alert(
    push_receiver: PushReceiver,
    settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    settings.NOTIFY_STEPS_P1 = "in_app:0,push:0,sms:600"
    alerts = _alerts(push_receiver, ALERTS)
    # One claim of 40 jobs, bulk reads, two rounds (in the app, push), 40 next-step jobs
    # queued, one finish: about 60 queries; one job at a time took about 15 per alert (600).
    with django_assert_max_num_queries(ALERTS + 25):
        assert run_due_jobs() == ALERTS
    assert sorted(m.payload["tag"] for m in push_receiver.messages) == sorted(a.ref for a in alerts)
    sent = ReceiptStatus.SENT
    assert Notification.objects.filter(receipts__channel="push", receipts__status=sent).count() == (
        ALERTS
    )
    # The next step of each (the text at 600 s) is one queued job per alert.
    assert Job.objects.filter(kind="notify.steps", status=JobStatus.QUEUED).count() == ALERTS


def test_the_pushes_of_a_batch_go_out_at_once_with_one_vapid_token(
    push_receiver: PushReceiver, settings: Any
) -> None:
    settings.NOTIFY_STEPS_P1 = "push:0"
    push_receiver.delay_seconds = 0.3  # a push service's round trip, long enough to overlap
    _alerts(push_receiver, 12)
    assert run_due_jobs() == 12
    assert len(push_receiver.messages) == 12
    assert push_receiver.most_in_flight > 1
    tokens = {m.headers["authorization"] for m in push_receiver.messages}
    assert len(tokens) == 1  # signed once for this push service, not once per message


def test_a_batch_settles_each_alert_on_its_own(
    push_receiver: PushReceiver, twilio: FakeTwilio, settings: Any
) -> None:
    settings.NOTIFY_STEPS_P1 = "push:0,sms:30"
    reached, off_duty, closed = _alerts(push_receiver, 3)
    nowhere = notify_send(
        user_id=UserFactory().pk, priority="p1", title="P1 surge", ref="surge:nowhere"
    )
    ChannelPreference.objects.create(user=nowhere.user, phone="+15025550122")
    officer = PersonFactory(user=off_duty.user)
    OfficerStatus.objects.create(person=officer, district=officer.district, on_duty=False)
    notify_close(ref=closed.ref, reason=CloseReason.SUPERSEDED)
    assert run_due_jobs() == 3  # the closed one's job was cancelled
    assert [m.payload["tag"] for m in push_receiver.messages] == [reached.ref]
    statuses = {
        n.ref: [(r.channel, r.status) for r in n.receipts.all()] for n in Notification.objects.all()
    }
    assert statuses[reached.ref] == [("push", ReceiptStatus.SENT)]
    assert statuses[off_duty.ref] == [] and statuses[closed.ref] == []
    # No browser to push to: the text comes at once, in the same run.
    assert statuses[nowhere.ref] == [("push", ReceiptStatus.FAILED), ("sms", ReceiptStatus.SENT)]
    assert [r.form["To"] for r in twilio.requests] == ["+15025550122"]
    off_duty.refresh_from_db()
    assert off_duty.close_reason == CloseReason.UNAVAILABLE


def test_the_bulk_availability_answers_as_asking_person_by_person() -> None:
    people = []
    for on_duty in (True, False, None):
        officer = PersonFactory(role=Role.SSO)
        if on_duty is not None:
            OfficerStatus.objects.create(person=officer, district=officer.district, on_duty=on_duty)
        people.append(officer.user_id)
    people.append(UserFactory().pk)  # no person at all: no opinion, available
    expected = {user_id for user_id in people if not availability.is_available(user_id)}
    assert len(expected) == 1
    assert availability.unavailable_among(set(people)) == expected
