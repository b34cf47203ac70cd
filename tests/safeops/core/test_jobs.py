"""Jobs and timers live in the database, so they survive a restart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeops.core.jobs import JobError, job_cancel, job_enqueue, job_handler, run_due_jobs
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
def test_a_crashing_job_is_retried_then_failed() -> None:
    job = job_enqueue(kind="test.echo", payload={"explode": True}, max_attempts=2)
    assert run_due_jobs() == 2  # the retry is due at once
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "RuntimeError: boom" in job.error
    assert job.attempts == 2


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
