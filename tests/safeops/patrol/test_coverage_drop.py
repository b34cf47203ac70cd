"""Automatic coverage drop: an officer on leave, gone off duty or on a long call loses the rest
of the day to the neighbour (plan_absorb), once; the coverage page shows what went where."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from safeops.core.jobs import job_enqueue, run_due_jobs
from safeops.core.models import Job
from safeops.dispatch.models import OfficerStatus, SupportRequest
from safeops.dispatch.services import request_assign, request_create
from safeops.patrol.choices import DropReason
from safeops.patrol.drop import coverage_drop, drop_reason
from safeops.patrol.jobs import DROP
from safeops.patrol.models import PatrolPlan, PatrolSettings
from safeops.patrol.services import plans_generate
from safeops.roster.models import LeaveKind
from safeops.roster.services import leave_record
from tests.safeops.patrol.conftest import PatrolScenario, a_weekday

pytestmark = pytest.mark.shared_scenario

ACTOR = "system:test"


def _day_at_nine(patrol: PatrolScenario) -> tuple[dt.date, dt.datetime]:
    """A weekday ahead, its plans made, and 09:00 that day (local)."""
    day = a_weekday(patrol.today + dt.timedelta(days=7))
    plans_generate(district_id=patrol.s.district.pk, day=day, actor=ACTOR)
    return day, timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _plan(patrol: PatrolScenario, day: dt.date) -> PatrolPlan:
    return PatrolPlan.objects.get(person=patrol.officer_a, day=day)


@pytest.mark.django_db
def test_an_officer_on_leave_hands_the_zone_to_the_neighbour(patrol: PatrolScenario) -> None:
    day, nine = _day_at_nine(patrol)
    assert coverage_drop(district_id=patrol.s.district.pk, at=nine, actor=ACTOR) == []
    leave_record(
        person=patrol.officer_a, first_day=day, last_day=day, kind=LeaveKind.SICK, actor=ACTOR
    )
    dropped = coverage_drop(district_id=patrol.s.district.pk, at=nine, actor=ACTOR)
    assert [plan.person_id for plan in dropped] == [patrol.officer_a.pk]
    plan = _plan(patrol, day)
    assert plan.absorbed_reason == DropReason.OFF
    assert not plan.visits.filter(status="planned", arrive_minute__gte=9 * 60).exists()
    zone_a = {f"s{patrol.s.high_a.pk}", f"s{patrol.s.school_a.pk}"}
    assert plan.absorbed and {row["site"] for row in plan.absorbed} <= zone_a
    assert {row["to"] for row in plan.absorbed} == {"B Officer"}
    neighbour = PatrolPlan.objects.get(person=patrol.officer_b, day=day)
    taken = {v.site_id for v in neighbour.visits.all()}
    assert {row["site"] for row in plan.absorbed} <= taken
    # Once: the next run leaves the plan alone.
    assert coverage_drop(district_id=patrol.s.district.pk, at=nine, actor=ACTOR) == []
    client = Client()
    client.force_login(patrol.chief)
    page = client.get(f"/patrol/coverage/?week={day.isoformat()}").content.decode()
    assert "Taken over by a neighbour" in page
    assert "→ B Officer" in page and "Off shift, relieved or on leave" in page


@pytest.mark.django_db
def test_a_long_call_or_going_off_duty_drops_coverage(patrol: PatrolScenario) -> None:
    day, nine = _day_at_nine(patrol)
    PatrolSettings.objects.filter(district=patrol.s.district).update(long_call_minutes=60)
    plan = _plan(patrol, day)
    assert drop_reason(plan=plan, at=nine, long_call_minutes=60) is None
    OfficerStatus.objects.create(person=patrol.officer_a, district=patrol.s.district, on_duty=True)
    request = request_create(
        actor=patrol.sa,
        school=patrol.s.school_a,
        category="fight_assault",
        priority="p1",
        summary="Two students fighting in the cafeteria",
    ).request
    request_assign(request_id=request.pk, officer_id=patrol.officer_a.pk, actor=patrol.dispatcher)
    SupportRequest.objects.filter(pk=request.pk).update(assigned_at=nine - dt.timedelta(minutes=59))
    assert drop_reason(plan=plan, at=nine, long_call_minutes=60) is None
    later = nine + dt.timedelta(minutes=2)
    assert drop_reason(plan=plan, at=later, long_call_minutes=60) == DropReason.LONG_CALL
    SupportRequest.objects.filter(pk=request.pk).update(status="cleared")
    OfficerStatus.objects.filter(person=patrol.officer_a).update(
        on_duty=False, duty_changed_at=nine - dt.timedelta(minutes=30)
    )
    assert drop_reason(plan=plan, at=nine, long_call_minutes=60) == DropReason.OFF_DUTY
    dropped = coverage_drop(district_id=patrol.s.district.pk, at=nine, actor=ACTOR)
    assert [p.absorbed_reason for p in dropped] == [DropReason.OFF_DUTY]


@pytest.mark.django_db
def test_the_job_runs(patrol: PatrolScenario) -> None:
    job_enqueue(kind=DROP)
    run_due_jobs()
    job = Job.objects.get(kind=DROP)
    assert job.status == "done", job.last_error
