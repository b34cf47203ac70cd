"""One periodic schedule: one queued run per slot across workers, a failed run never ends it,
and it includes the threat retention purge and the pruning of finished jobs."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from django.utils import timezone

from safeops.core.jobs import (
    PRUNE_JOB,
    SCHEDULES,
    Schedule,
    job_handler,
    run_due_jobs,
    schedules_materialise,
)
from safeops.core.models import Job, JobStatus
from safeops.staff.choices import Role
from safeops.threats.choices import CaseSource, Stage
from safeops.threats.models import ThreatCase
from safeops.threats.services import case_open
from tests.safeops.factories import ScenarioDistrict

LOCAL = ZoneInfo("America/Kentucky/Louisville")
TICKS: list[int] = []


@job_handler("test.tick")
def _tick(job: Job, progress: Any) -> dict[str, Any]:
    TICKS.append(job.pk)
    return {}


@job_handler("test.flaky")
def _flaky(job: Job, progress: Any) -> dict[str, Any]:
    TICKS.append(job.pk)
    raise RuntimeError("the mail server is down")


TICK = (Schedule(kind="test.tick", daily_at=dt.time(6, 0)),)


@pytest.fixture(autouse=True)
def _clear_ticks() -> None:
    TICKS.clear()


def test_a_daily_slot_is_in_the_district_time_zone_across_a_dst_change() -> None:
    schedule = Schedule(kind="test.tick", daily_at=dt.time(6, 0))
    run, key = schedule.next_slot(dt.datetime(2026, 3, 7, 12, 0, tzinfo=LOCAL))
    assert run == dt.datetime(2026, 3, 8, 6, 0, tzinfo=LOCAL)  # the day clocks go forward
    assert run.utcoffset() == dt.timedelta(hours=-4)
    assert key == "test.tick@2026-03-08T06:00"
    run, key = schedule.next_slot(dt.datetime(2026, 3, 8, 5, 59, tzinfo=LOCAL))
    assert key == "test.tick@2026-03-08T06:00"


def test_an_every_n_minutes_slot_is_the_next_multiple() -> None:
    schedule = Schedule(kind="test.tick", every_minutes=15)
    run, key = schedule.next_slot(dt.datetime(2026, 3, 7, 12, 7, tzinfo=dt.UTC))
    assert run == dt.datetime(2026, 3, 7, 12, 15, tzinfo=dt.UTC)
    assert key == "test.tick@2026-03-07T12:15Z"


def test_a_schedule_needs_exactly_one_cadence() -> None:
    with pytest.raises(ValueError, match="daily_at or every_minutes"):
        Schedule(kind="test.tick")
    with pytest.raises(ValueError, match="daily_at or every_minutes"):
        Schedule(kind="test.tick", daily_at=dt.time(6), every_minutes=5)


def test_the_schedule_holds_the_daily_jobs_the_purge_and_the_pruning() -> None:
    kinds = {schedule.kind for schedule in SCHEDULES}
    assert kinds == {
        "drills.reminders",
        "training.reminders",
        "resources.freshness",
        "threats.purge_expired",
        "patrol.daily_plans",
        "patrol.coverage_drop",
        "reports.refresh",
        PRUNE_JOB,
    }


@pytest.mark.django_db
def test_materialising_twice_queues_each_slot_once() -> None:
    now = dt.datetime(2026, 9, 17, 7, 0, tzinfo=LOCAL)
    first = schedules_materialise(now=now)
    again = schedules_materialise(now=now + dt.timedelta(hours=3))
    assert len(first) == len(SCHEDULES)
    # A daily slot is queued once; an every-N-minutes schedule has a new slot 3 hours later.
    every = {s.kind for s in SCHEDULES if s.every_minutes}
    assert {j.pk for j in first if j.kind not in every} == {
        j.pk for j in again if j.kind not in every
    }
    assert Job.objects.count() == len(SCHEDULES) + len(every)
    purge = Job.objects.get(kind="threats.purge_expired")
    assert purge.run_after == dt.datetime(2026, 9, 18, 3, 30, tzinfo=LOCAL)
    drills = Job.objects.get(kind="drills.reminders")
    assert drills.run_after == dt.datetime(2026, 9, 18, 6, 0, tzinfo=LOCAL)


@pytest.mark.django_db
def test_the_scheduled_purge_and_pruning_run() -> None:
    now = dt.datetime(2026, 9, 17, 7, 0, tzinfo=LOCAL)
    schedules_materialise(now=now)
    old = Job.objects.create(
        kind="test.tick",
        status=JobStatus.DONE,
        run_after=now - dt.timedelta(days=60),
        finished_at=now - dt.timedelta(days=60),
    )
    ran = run_due_jobs(now=dt.datetime(2026, 9, 18, 3, 50, tzinfo=LOCAL))
    assert ran == 3  # the purge at 03:30, the pruning at 03:45, the patrol coverage check
    purge = Job.objects.get(kind="threats.purge_expired")
    assert (purge.status, purge.result) == (JobStatus.DONE, {"cases": 0, "tips": 0})
    assert Job.objects.get(kind=PRUNE_JOB).status == JobStatus.DONE
    assert not Job.objects.filter(pk=old.pk).exists()


def test_the_scheduled_purge_deletes_an_expired_threat_case(scenario: ScenarioDistrict) -> None:
    case = case_open(
        school=scenario.school_a,
        source=CaseSource.STAFF,
        subject="A.B.",
        grade="7",
        concern="threatened a classmate",
        actor=scenario.users[Role.SECURITY_CHIEF],
    )
    ThreatCase.objects.filter(pk=case.pk).update(
        stage=Stage.CLOSED, closed_at=timezone.now() - dt.timedelta(days=4000)
    )
    purge = next(j for j in schedules_materialise() if j.kind == "threats.purge_expired")
    assert run_due_jobs(now=purge.run_after) >= 1
    purge.refresh_from_db()
    assert (purge.status, purge.result) == (JobStatus.DONE, {"cases": 1, "tips": 0})
    assert not ThreatCase.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_racing_workers_queue_and_run_one_job_per_slot() -> None:
    now = dt.datetime(2026, 9, 17, 5, 59, 59, tzinfo=LOCAL)
    slot = dt.datetime(2026, 9, 17, 6, 0, tzinfo=LOCAL)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=10)
            schedules_materialise(now=now, schedules=TICK)
            barrier.wait(timeout=10)
            run_due_jobs(now=slot + dt.timedelta(seconds=1), worker=name)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    jobs = list(Job.objects.filter(kind="test.tick"))
    assert [j.slot_key for j in jobs] == ["test.tick@2026-09-17T06:00"]
    assert jobs[0].status == JobStatus.DONE
    assert len(TICKS) == 1


@pytest.mark.django_db
def test_a_failed_scheduled_run_does_not_stop_the_next_slot(settings: Any) -> None:
    flaky = (Schedule(kind="test.flaky", daily_at=dt.time(6, 0), max_attempts=1),)
    day1 = dt.datetime(2026, 9, 16, 7, 0, tzinfo=LOCAL)
    schedules_materialise(now=day1, schedules=flaky)
    assert run_due_jobs(now=day1 + dt.timedelta(days=1)) == 1
    failed = Job.objects.get(kind="test.flaky")
    assert failed.status == JobStatus.FAILED
    # Any worker's next tick queues the next slot, whatever became of this one.
    schedules_materialise(now=day1 + dt.timedelta(days=1, minutes=1), schedules=flaky)
    following = Job.objects.filter(kind="test.flaky", status=JobStatus.QUEUED).get()
    assert following.slot_key == "test.flaky@2026-09-18T06:00"
    assert run_due_jobs(now=day1 + dt.timedelta(days=2)) == 1
    assert len(TICKS) == 2
