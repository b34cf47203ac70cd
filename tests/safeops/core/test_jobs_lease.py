"""A running job's lease is renewed, so a second worker never takes a long job; workers report
that they are alive; finished jobs are pruned."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from safeops.core.jobs import (
    Worker,
    job_enqueue,
    job_handler,
    jobs_prune,
    run_due_jobs,
)
from safeops.core.jobs_ops import oldest_due_job_age, worker_last_seen
from safeops.core.models import Job, JobStatus, WorkerHeartbeat

RUNS: list[str] = []
STARTED = threading.Event()


@job_handler("test.long")
def _long(job: Job, progress: Any) -> dict[str, Any]:
    RUNS.append(job.claimed_by)
    STARTED.set()
    time.sleep(float(job.payload["seconds"]))
    return {"slept": job.payload["seconds"]}


@pytest.mark.django_db(transaction=True)
def test_a_job_longer_than_its_claim_is_not_taken_by_a_second_worker(settings: Any) -> None:
    settings.JOBS_CLAIM_SECONDS = 1
    RUNS.clear()
    STARTED.clear()
    job = job_enqueue(kind="test.long", payload={"seconds": 3.5})
    second_ran: list[int] = []

    def first() -> None:
        try:
            run_due_jobs(worker="first", limit=1)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            STARTED.wait(10)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:  # keeps trying well past the first claim's end
                second_ran.append(run_due_jobs(worker="second", limit=1))
                time.sleep(0.2)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    job.refresh_from_db()
    assert RUNS == ["first"]
    assert sum(second_ran) == 0
    assert (job.status, job.attempts, job.claimed_by) == (JobStatus.DONE, 1, "first")


@pytest.mark.django_db(transaction=True)
def test_a_worker_reports_it_is_alive_and_removes_its_report_when_stopped() -> None:
    assert worker_last_seen() is None
    worker = Worker(poll_seconds=0.05)
    thread = worker.start_thread()
    try:
        deadline = time.monotonic() + 10
        while worker_last_seen() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        seen = worker_last_seen()
        assert seen is not None
        assert abs((timezone.now() - seen).total_seconds()) < 10
        assert WorkerHeartbeat.objects.get().name == worker.name
        # The worker queues the schedules' next runs (one per schedule) on its first rounds.
        while Job.objects.exclude(slot_key="").count() < 5 and time.monotonic() < deadline + 10:
            time.sleep(0.05)
    finally:
        worker.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert worker_last_seen() is None
    assert Job.objects.exclude(slot_key="").count() >= 5


@pytest.mark.django_db
def test_the_oldest_due_job_age_counts_only_queued_due_jobs() -> None:
    now = timezone.now()
    assert oldest_due_job_age(now=now) is None
    job_enqueue(kind="test.long", payload={"seconds": 0}, run_after=now + dt.timedelta(minutes=5))
    assert oldest_due_job_age(now=now) is None
    job_enqueue(kind="test.long", payload={"seconds": 0}, run_after=now - dt.timedelta(minutes=7))
    job_enqueue(kind="test.long", payload={"seconds": 0}, run_after=now - dt.timedelta(minutes=2))
    assert oldest_due_job_age(now=now) == dt.timedelta(minutes=7)


@pytest.mark.django_db
def test_finished_jobs_are_pruned_failed_ones_kept_longer(settings: Any) -> None:
    settings.JOBS_KEEP_DONE_DAYS = 7
    settings.JOBS_KEEP_FAILED_DAYS = 30
    now = timezone.now()

    def job(status: str, days_ago: int) -> Job:
        return Job.objects.create(
            kind="test.long",
            status=status,
            run_after=now - dt.timedelta(days=days_ago),
            finished_at=None if status == JobStatus.QUEUED else now - dt.timedelta(days=days_ago),
        )

    old_done = job(JobStatus.DONE, 8)
    old_cancelled = job(JobStatus.CANCELLED, 8)
    recent_done = job(JobStatus.DONE, 6)
    failed_kept = job(JobStatus.FAILED, 8)
    old_failed = job(JobStatus.FAILED, 31)
    old_queued = job(JobStatus.QUEUED, 40)  # never finished: never pruned
    WorkerHeartbeat.objects.create(
        name="gone", started_at=now - dt.timedelta(days=9), seen_at=now - dt.timedelta(days=8)
    )
    assert jobs_prune(now=now) == {"done": 2, "failed": 1, "workers": 1}
    remaining = set(Job.objects.values_list("pk", flat=True))
    assert remaining == {recent_done.pk, failed_kept.pk, old_queued.pk}
    assert not {old_done.pk, old_cancelled.pk, old_failed.pk} & remaining
