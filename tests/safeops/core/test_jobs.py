"""Jobs and timers live in the database, so they survive a restart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeops.core.jobs import (
    JobError,
    job_cancel,
    job_enqueue,
    job_handler,
    retry_delay,
    run_due_jobs,
)
from safeops.core.models import Job, JobStatus

CALLS: list[dict[str, Any]] = []


@job_handler("test.echo")
def _echo(job: Job, progress: Any) -> dict[str, Any]:
    progress(0.5, "half way")
    CALLS.append(job.payload)
    if job.payload.get("explode"):
        raise RuntimeError("boom")
    if job.payload.get("refuse"):
        raise JobError("not possible")
    return {"echo": job.payload}


@pytest.fixture(autouse=True)
def _clear_calls() -> None:
    CALLS.clear()


@pytest.mark.django_db
def test_a_timer_runs_only_when_due() -> None:
    now = timezone.now()
    job = job_enqueue(kind="test.echo", payload={"n": 1}, run_after=now + dt.timedelta(seconds=60))
    assert run_due_jobs(now=now) == 0
    assert run_due_jobs(now=now + dt.timedelta(seconds=61)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result == {"echo": {"n": 1}}
    assert job.progress == 1.0


@pytest.mark.django_db
def test_a_dedupe_key_replaces_the_queued_timer_and_cancel_stops_it() -> None:
    first = job_enqueue(kind="test.echo", payload={"n": 1}, dedupe_key="timer:1")
    job_enqueue(kind="test.echo", payload={"n": 2}, dedupe_key="timer:1")
    first.refresh_from_db()
    assert first.status == JobStatus.CANCELLED
    assert job_cancel(dedupe_key="timer:1") == 1
    assert run_due_jobs() == 0
    assert CALLS == []


@pytest.mark.django_db
def test_a_crash_is_retried_after_an_exponential_backoff_then_failed(settings: Any) -> None:
    settings.JOBS_RETRY_BASE_SECONDS = 40
    settings.JOBS_RETRY_MAX_SECONDS = 1000
    now = timezone.now()
    job = job_enqueue(kind="test.echo", payload={"explode": True}, max_attempts=3, run_after=now)
    waits = []
    for attempt in (1, 2):
        assert run_due_jobs(now=now) == 1
        job.refresh_from_db()
        assert (job.status, job.attempts) == (JobStatus.QUEUED, attempt)
        assert "RuntimeError: boom" in job.error  # the last error is kept while it waits
        waits.append((job.run_after - now).total_seconds())
        assert run_due_jobs(now=job.run_after - dt.timedelta(seconds=1)) == 0  # not yet
        now = job.run_after
    # 40 s doubled per attempt, the second half random: 20–40 s, then 40–80 s.
    assert 20 <= waits[0] <= 41
    assert 40 <= waits[1] <= 81
    assert run_due_jobs(now=now) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert job.finished_at is not None
    assert "RuntimeError: boom" in job.error


def test_the_backoff_is_capped_and_jittered(settings: Any) -> None:
    settings.JOBS_RETRY_BASE_SECONDS = 30
    settings.JOBS_RETRY_MAX_SECONDS = 100
    delays = {retry_delay(10).total_seconds() for _ in range(50)}
    assert all(50 <= d <= 100 for d in delays)
    assert len(delays) > 1


@pytest.mark.django_db
def test_an_expected_failure_is_not_retried() -> None:
    job = job_enqueue(kind="test.echo", payload={"refuse": True})
    run_due_jobs()
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == (JobStatus.FAILED, "not possible", 1)


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_picked_up_after_a_restart() -> None:
    now = timezone.now()
    job = job_enqueue(kind="test.echo", payload={"n": 3})
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, claimed_until=now - dt.timedelta(seconds=1), attempts=1
    )
    assert run_due_jobs(now=now) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert CALLS == [{"n": 3}]


@pytest.mark.django_db
def test_an_unknown_kind_cannot_be_queued() -> None:
    with pytest.raises(ValueError, match="No handler"):
        job_enqueue(kind="nope")
