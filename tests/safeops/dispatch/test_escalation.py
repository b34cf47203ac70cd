"""Escalation: an unacknowledged P1/P2 goes to the next-best officer and the supervisors are
alerted. The timer is a database job, so it survives a restart; acknowledging disarms it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeops.core.jobs import run_due_jobs
from safeops.core.models import Job, JobStatus
from safeops.dispatch.choices import EventKind, Status
from safeops.dispatch.models import DispatchEvent, DispatchSettings, OfficerStatus
from safeops.dispatch.services import (
    ESCALATE_JOB,
    officer_duty_set,
    request_assign,
    request_transition,
)
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def test_an_unacknowledged_p1_is_offered_to_the_next_officer_after_60_seconds(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    timer = Job.objects.get(kind=ESCALATE_JOB, status=JobStatus.QUEUED)
    assert 59 <= (timer.run_after - timezone.now()).total_seconds() <= 61
    assert run_due_jobs() == 1  # the officer's alert (core.notify), due at once
    assert run_due_jobs(now=timezone.now() + dt.timedelta(seconds=30)) == 0
    assert run_due_jobs(now=timezone.now() + dt.timedelta(seconds=61), limit=1) == 1
    request.refresh_from_db()
    assert request.status == Status.ESCALATED
    assert request.officer_id == dispatch.officer_b.pk
    assert OfficerStatus.objects.get(person=dispatch.officer_a).open_request_count == 0
    assert OfficerStatus.objects.get(person=dispatch.officer_b).open_request_count == 1
    alert = DispatchEvent.objects.get(kind=EventKind.ALERT)
    assert dispatch.officer_b.full_name in alert.payload["message"]
    # The new offer has its own timer.
    assert Job.objects.filter(kind=ESCALATE_JOB, status=JobStatus.QUEUED).count() == 1


def test_acknowledging_disarms_the_timer(dispatch: DispatchScenario) -> None:
    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    request_transition(
        request_id=request.pk,
        to_status="acknowledged",
        actor=dispatch.officer_a.user,  # type: ignore[arg-type]
        idempotency_key="ack",
    )
    assert not Job.objects.filter(kind=ESCALATE_JOB, status=JobStatus.QUEUED).exists()
    assert run_due_jobs(now=timezone.now() + dt.timedelta(minutes=5)) == 0
    request.refresh_from_db()
    assert request.status == Status.ACKNOWLEDGED


def test_p2_uses_its_own_timer_and_p3_does_not_escalate(dispatch: DispatchScenario) -> None:
    DispatchSettings.objects.create(district=dispatch.s.district, p2_ack_seconds=300)
    p2 = dispatch.file(priority="p2", summary="Student in crisis")
    request_assign(request_id=p2.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher)
    timer = Job.objects.get(kind=ESCALATE_JOB, status=JobStatus.QUEUED)
    assert 299 <= (timer.run_after - timezone.now()).total_seconds() <= 301
    p3 = dispatch.file(priority="p3", summary="Visibility check")
    request_assign(request_id=p3.pk, officer_id=dispatch.officer_b.pk, actor=dispatch.dispatcher)
    assert Job.objects.filter(kind=ESCALATE_JOB, status=JobStatus.QUEUED).count() == 1


def test_with_no_other_officer_the_supervisors_are_alerted_and_the_timer_rearms(
    dispatch: DispatchScenario,
) -> None:
    officer_duty_set(officer=dispatch.officer_b, on_duty=False, actor="system:test")
    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    assert run_due_jobs() == 1  # the officer's alert (core.notify), due at once
    assert run_due_jobs(now=timezone.now() + dt.timedelta(seconds=61), limit=1) == 1
    request.refresh_from_db()
    assert (request.status, request.officer_id) == (Status.ASSIGNED, dispatch.officer_a.pk)
    assert (
        "no other officer is available"
        in DispatchEvent.objects.get(kind="alert").payload["message"]
    )
    assert Job.objects.filter(kind=ESCALATE_JOB, status=JobStatus.QUEUED).count() == 1


def test_a_reassignment_replaces_the_timer_and_later_steps_leave_timers_alone(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file(priority="p1")
    with CaptureQueriesContext(connection) as first_assign:
        request_assign(
            request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
        )
    job_table = Job._meta.db_table

    def timer_queries(queries: CaptureQueriesContext) -> list[str]:
        """The acknowledgement timer's queries (its dedupe key), not the officer's alert's."""
        return [
            q["sql"].split()[0]
            for q in queries
            if job_table in q["sql"] and "escalate:" in q["sql"]
        ]

    # From "new" no timer can be queued: the timer is inserted without a cancel first.
    assert timer_queries(first_assign) == ["INSERT"]
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_b.pk, actor=dispatch.dispatcher
    )
    timers = Job.objects.filter(kind=ESCALATE_JOB)
    assert timers.filter(status=JobStatus.QUEUED).count() == 1
    assert timers.filter(status=JobStatus.CANCELLED).count() == 1
    officer_b = dispatch.officer_b.user
    for step, key in (("acknowledged", "ack"), ("en_route", "go")):
        with CaptureQueriesContext(connection) as queries:
            request_transition(
                request_id=request.pk,
                to_status=step,
                actor=officer_b,  # type: ignore[arg-type]
                idempotency_key=key,
            )
        touched = timer_queries(queries)
        assert len(touched) == (1 if step == "acknowledged" else 0)  # only leaving disarms
    assert not timers.filter(status=JobStatus.QUEUED).exists()
