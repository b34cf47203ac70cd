"""The plan service: each on-shift SSO's plan for their zone, the seed, re-plan and absorb."""

from __future__ import annotations

import datetime as dt

import pytest

from safeops.core.jobs import job_enqueue, run_due_jobs
from safeops.core.models import AuditEntry, Job
from safeops.dispatch.services import (
    officer_duty_set,
    request_assign,
    request_create,
    request_transition,
)
from safeops.drills.models import NonInstructionalDay, SchoolYear
from safeops.patrol.adapter import day_seed
from safeops.patrol.choices import DISMISSAL
from safeops.patrol.jobs import DAILY, REPLAN
from safeops.patrol.models import BellOverride, PatrolPlan, PatrolSettings, PlannedVisit
from safeops.patrol.services import plan_absorb, plans_generate
from safeops.patrol.shifts import shift_window
from tests.safeops.patrol.conftest import PatrolScenario, a_weekday

pytestmark = pytest.mark.shared_scenario

ACTOR = "system:test"


def _generate(patrol: PatrolScenario, day: dt.date, **kwargs: object) -> list[PatrolPlan]:
    return plans_generate(district_id=patrol.s.district.pk, day=day, actor=ACTOR, **kwargs)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_each_officer_patrols_only_their_zone(patrol: PatrolScenario) -> None:
    s = patrol.s
    plans = {p.person_id: p for p in _generate(patrol, patrol.today)}
    assert set(plans) == {patrol.officer_a.pk, patrol.officer_b.pk}
    own = {
        patrol.officer_a.pk: {s.high_a.pk, s.school_a.pk},
        patrol.officer_b.pk: {s.high_b.pk, s.school_b.pk},
    }
    for person_id, plan in plans.items():
        visited = set(plan.visits.values_list("school_id", flat=True))
        assert visited and visited <= own[person_id]
        times = list(plan.visits.order_by("position").values_list("arrive_minute", flat=True))
        assert times == sorted(times)
        assert plan.shift_start <= times[0] and times[-1] <= plan.shift_end
    # Zone A's schools have bells: arrival and dismissal windows, which the plan targets.
    assert plans[patrol.officer_a.pk].windows_targeted == 4
    assert plans[patrol.officer_b.pk].windows_targeted == 0
    assert AuditEntry.objects.filter(model="patrol.patrolplan", action="create").count() == 2


@pytest.mark.django_db
def test_the_seed_is_the_district_day_and_a_second_run_keeps_the_plan(
    patrol: PatrolScenario,
) -> None:
    district = patrol.s.district.pk
    first = _generate(patrol, patrol.today)
    assert {p.seed for p in first} == {day_seed(district_id=district, day=patrol.today)}
    assert day_seed(district_id=district, day=patrol.today) != day_seed(
        district_id=district, day=patrol.today + dt.timedelta(days=1)
    )
    before = list(PlannedVisit.objects.order_by("pk").values_list("pk", flat=True))
    assert {p.pk for p in _generate(patrol, patrol.today)} == {p.pk for p in first}
    assert list(PlannedVisit.objects.order_by("pk").values_list("pk", flat=True)) == before
    again = _generate(patrol, patrol.today, replace=True)
    assert {p.revision for p in again} == {2}


@pytest.mark.django_db
def test_no_plan_off_shift(patrol: PatrolScenario) -> None:
    PatrolSettings.objects.filter(district=patrol.s.district).update(weekends=False)
    saturday = patrol.today + dt.timedelta(days=(5 - patrol.today.weekday()) % 7)
    assert shift_window(person=patrol.officer_a, day=saturday) is None
    assert _generate(patrol, saturday) == []
    monday = a_weekday(saturday)
    assert shift_window(person=patrol.officer_a, day=monday) == (7 * 60, 15 * 60 + 30)


@pytest.mark.django_db
def test_high_risk_school_is_covered_at_dismissal(patrol: PatrolScenario) -> None:
    s = patrol.s
    PatrolSettings.objects.filter(district=s.district).update(high_risk=1.0)
    plan = PatrolPlan.objects.get(pk=_generate(patrol, patrol.today)[0].pk)
    plan = PatrolPlan.objects.get(person=patrol.officer_a, day=patrol.today)
    dismissals = set(plan.visits.filter(window_label=DISMISSAL).values_list("school_id", flat=True))
    assert dismissals == {s.high_a.pk, s.school_a.pk}


@pytest.mark.django_db
def test_an_early_release_moves_the_dismissal_window(patrol: PatrolScenario) -> None:
    s = patrol.s
    BellOverride.objects.create(
        district=s.district,
        school=s.high_a,
        day=patrol.today,
        kind="early_release",
        shift_minutes=120,
    )
    PatrolSettings.objects.filter(district=s.district).update(high_risk=1.0)
    _generate(patrol, patrol.today)
    visit = PlannedVisit.objects.get(school=s.high_a, window_label=DISMISSAL)
    # The end bell 14:10 moves to 12:10; the window is 11:40-12:25.
    assert 11 * 60 + 40 <= visit.arrive_minute <= 12 * 60 + 25


@pytest.mark.django_db
def test_a_cleared_call_replans_the_rest_of_the_day(patrol: PatrolScenario) -> None:
    s = patrol.s
    _generate(patrol, patrol.today)
    officer_duty_set(officer=patrol.officer_a, on_duty=True, actor=ACTOR)
    request = request_create(
        actor=patrol.sa,
        school=s.school_a,
        category="fight_assault",
        priority="p1",
        summary="Two students fighting in the cafeteria",
    ).request
    request_assign(request_id=request.pk, officer_id=patrol.officer_a.pk, actor=patrol.dispatcher)
    officer = patrol.officer_a.user
    for status in ("acknowledged", "en_route", "on_scene"):
        request_transition(request_id=request.pk, to_status=status, actor=officer)
    assert not Job.objects.filter(kind=REPLAN).exists()
    request_transition(
        request_id=request.pk, to_status="cleared", actor=officer, disposition="resolved_on_scene"
    )
    job = Job.objects.get(kind=REPLAN)
    assert job.payload["person_id"] == patrol.officer_a.pk
    assert (job.payload["latitude"], job.payload["longitude"]) == (
        s.school_a.latitude,
        s.school_a.longitude,
    )
    run_due_jobs()
    job.refresh_from_db()
    assert job.status == "done", job.last_error
    plan = PatrolPlan.objects.get(person=patrol.officer_a, day=patrol.today)
    assert plan.revision == 2 and plan.replanned_from == job.payload["minute"]
    assert AuditEntry.objects.filter(
        model="patrol.patrolplan", object_id=str(plan.pk), note__startswith="re-planned"
    ).exists()


@pytest.mark.django_db
def test_absorb_records_what_was_lost(patrol: PatrolScenario) -> None:
    _generate(patrol, patrol.today)
    plan = plan_absorb(
        person_id=patrol.officer_a.pk, day=patrol.today, from_minute=7 * 60, actor=ACTOR
    )
    assert not plan.visits.filter(status="planned", arrive_minute__gte=7 * 60).exists()
    # Zone B's officer took what they could; whatever no one could take is listed.
    neighbour = PatrolPlan.objects.get(person=patrol.officer_b, day=patrol.today)
    taken = set(neighbour.visits.values_list("school_id", flat=True))
    lost = {row["site"] for row in plan.lost}
    zone_a = {f"s{patrol.s.high_a.pk}", f"s{patrol.s.school_a.pk}"}
    assert lost | {f"s{pk}" for pk in taken} >= zone_a
    assert all(row["reason"] for row in plan.lost)


@pytest.mark.django_db
def test_the_daily_job_makes_todays_plans(patrol: PatrolScenario) -> None:
    job_enqueue(kind=DAILY)
    run_due_jobs()
    job = Job.objects.get(kind=DAILY)
    assert job.status == "done" and job.result == {"plans": 2}
    assert PatrolPlan.objects.filter(day=patrol.today).count() == 2


@pytest.mark.django_db
def test_a_non_instructional_day_of_the_drill_calendar_has_no_school_visits(
    patrol: PatrolScenario,
) -> None:
    s = patrol.s
    day = patrol.today
    year = SchoolYear.objects.create(
        district=s.district,
        name="This year",
        first_day=day - dt.timedelta(days=30),
        last_day=day + dt.timedelta(days=30),
    )
    _generate(patrol, day)
    assert PlannedVisit.objects.filter(plan__day=day, school__isnull=False).exists()
    NonInstructionalDay.objects.create(school_year=year, date=day, reason="Election day")
    PatrolPlan.objects.filter(day=day).delete()
    _generate(patrol, day)
    assert not PlannedVisit.objects.filter(plan__day=day, school__isnull=False).exists()
