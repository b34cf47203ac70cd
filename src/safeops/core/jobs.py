"""Background jobs and timers that survive a restart.

A job is a row (`core.Job`). `job_enqueue` adds one, optionally for later (`run_after`): that
is how timers work — nothing lives only in memory. A worker (`safeops worker`, or the thread
`safeops serve` starts) claims due jobs one at a time and calls the handler registered for
the job's kind. A claim is a lease (`JOBS_CLAIM_SECONDS`) renewed while the handler runs, so a
job whose worker died is picked up again after a restart, and a long one is never taken twice.
A crash is retried with exponential backoff up to `max_attempts`; a `JobError` is not.

Periodic work is data: `SCHEDULES` lists each kind and its cadence. Workers queue the next slot
of every schedule as a job with a unique `slot_key`, so several workers queue one run per slot,
and a failed run never ends the schedule (the next slot does not depend on it).

Handlers are registered with `@job_handler("kind")` in an app's `jobs.py`, which the core app
imports at start-up. Why this queue and not a library: docs/decisions/0003-jobs.md.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import socket
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from safeops.core.models import Job, JobStatus, WorkerHeartbeat

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5
PROGRESS_MIN_INTERVAL_SECONDS = 0.5
HEARTBEAT_SECONDS = 5.0
PRUNE_JOB = "core.prune_jobs"

Progress = Callable[[float, str], None]
Handler = Callable[[Job, Progress], dict[str, Any] | None]
BatchHandler = Callable[[list[Job]], dict[int, dict[str, Any] | None]]
_HANDLERS: dict[str, Handler] = {}
_BATCH_HANDLERS: dict[str, tuple[BatchHandler, Callable[[], int]]] = {}


class JobError(Exception):
    """A handler's expected failure: recorded on the job without a traceback, never retried."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not function:
            raise ValueError(f"A handler for job kind {kind!r} is already registered.")
        _HANDLERS[kind] = function
        return function

    return register


def job_batch_handler(
    kind: str, *, size: Callable[[], int]
) -> Callable[[BatchHandler], BatchHandler]:
    """A handler that takes up to `size()` due jobs of its kind at once (one claim, one finish,
    its own bulk reads and concurrent sends), returning each job's result by id. A job run
    alone (`run_job`) is a batch of one."""

    def register(function: BatchHandler) -> BatchHandler:
        def one(job: Job, progress: Progress) -> dict[str, Any] | None:
            return function([job]).get(job.pk)

        job_handler(kind)(one)
        _BATCH_HANDLERS[kind] = (function, size)
        return function

    return register


def job_enqueue(
    *,
    kind: str,
    payload: dict[str, Any] | None = None,
    run_after: dt.datetime | None = None,
    dedupe_key: str = "",
    max_attempts: int = 3,
    replace: bool = True,
) -> Job:
    """Queue a job. With `dedupe_key`, an existing queued job with that key is replaced
    (`replace=False`: the caller knows none is queued, and the cancel query is skipped)."""
    if kind not in _HANDLERS:
        raise ValueError(f"No handler is registered for job kind {kind!r}.")
    # Inside the caller's transaction no savepoint is needed: a failure here fails the caller.
    with transaction.atomic(savepoint=False):
        if dedupe_key and replace:
            Job.objects.filter(dedupe_key=dedupe_key, status=JobStatus.QUEUED).update(
                status=JobStatus.CANCELLED, finished_at=timezone.now()
            )
        return Job.objects.create(
            kind=kind,
            payload=payload or {},
            run_after=run_after or timezone.now(),
            dedupe_key=dedupe_key,
            max_attempts=max_attempts,
        )


def job_enqueue_many(*, kind: str, jobs: list[tuple[dict[str, Any], dt.datetime, str]]) -> None:
    """Queue many jobs of one kind in one insert: (payload, run_after, dedupe_key) each, none of
    whose keys is queued already (as `replace=False`)."""
    if kind not in _HANDLERS:
        raise ValueError(f"No handler is registered for job kind {kind!r}.")
    Job.objects.bulk_create(
        Job(kind=kind, payload=payload, run_after=run_after, dedupe_key=key, max_attempts=5)
        for payload, run_after, key in jobs
    )


def job_cancel(*, dedupe_key: str) -> int:
    """Cancel queued jobs with this key (a timer no longer needed). Returns how many."""
    return Job.objects.filter(dedupe_key=dedupe_key, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now()
    )


# --- Schedules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """A periodic job: daily at `daily_at` (the district's TIME_ZONE) or every `every_minutes`."""

    kind: str
    daily_at: dt.time | None = None
    every_minutes: int | None = None
    max_attempts: int = 3

    def __post_init__(self) -> None:
        if (self.daily_at is None) == (self.every_minutes is None):
            raise ValueError(f"Schedule {self.kind!r} needs daily_at or every_minutes.")
        if self.every_minutes is not None and self.every_minutes < 1:
            raise ValueError(f"Schedule {self.kind!r}: every_minutes must be 1 or more.")

    def next_slot(self, now: dt.datetime) -> tuple[dt.datetime, str]:
        """The first slot strictly after `now`, and its key (unique per kind and slot)."""
        if self.daily_at is not None:
            zone = timezone.get_default_timezone()
            day = now.astimezone(zone).date()
            run = dt.datetime.combine(day, self.daily_at, tzinfo=zone)
            if run <= now:
                day += dt.timedelta(days=1)
                run = dt.datetime.combine(day, self.daily_at, tzinfo=zone)
            return run, f"{self.kind}@{day.isoformat()}T{self.daily_at:%H:%M}"
        period = int(self.every_minutes or 0) * 60
        slot = (int(now.timestamp()) // period + 1) * period
        run = dt.datetime.fromtimestamp(slot, tz=dt.UTC)
        return run, f"{self.kind}@{run:%Y-%m-%dT%H:%M}Z"


# The district's periodic work. Daily times avoid 02:00–03:00, which a DST change skips or
# repeats in the district's time zone.
SCHEDULES: tuple[Schedule, ...] = (
    Schedule(kind="threats.purge_expired", daily_at=dt.time(3, 30)),
    Schedule(kind=PRUNE_JOB, daily_at=dt.time(3, 45)),
    Schedule(kind="patrol.daily_plans", daily_at=dt.time(5, 30)),
    Schedule(kind="patrol.coverage_drop", every_minutes=10),
    Schedule(kind="drills.reminders", daily_at=dt.time(6, 0)),
    Schedule(kind="training.reminders", daily_at=dt.time(6, 5)),
    Schedule(kind="resources.freshness", daily_at=dt.time(6, 15)),
    Schedule(kind="reports.refresh", daily_at=dt.time(4, 30)),
)


def schedules_materialise(
    *, now: dt.datetime | None = None, schedules: tuple[Schedule, ...] = SCHEDULES
) -> list[Job]:
    """Queue the next slot of each schedule unless it is queued already (by any worker: the
    slot key is unique in the database). Returns the schedules' next jobs."""
    now = now or timezone.now()
    wanted: dict[str, Job] = {}
    for schedule in schedules:
        if schedule.kind not in _HANDLERS:
            logger.error("Schedule %s has no registered handler", schedule.kind)
            continue
        run_after, key = schedule.next_slot(now)
        wanted[key] = Job(
            kind=schedule.kind,
            run_after=run_after,
            slot_key=key,
            max_attempts=schedule.max_attempts,
        )
    if not wanted:
        return []
    Job.objects.bulk_create(wanted.values(), ignore_conflicts=True)
    return list(Job.objects.filter(slot_key__in=wanted))


# --- Claiming and running --------------------------------------------------------------------


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:80]


def _claim_seconds() -> float:
    return float(settings.JOBS_CLAIM_SECONDS)


def _claim(now: dt.datetime, worker: str) -> list[Job]:
    """The oldest due job, and with a batch handler for its kind more due jobs of that kind
    (up to the batch size) in the same claim."""
    due = Q(status=JobStatus.QUEUED, run_after__lte=now) | Q(
        status=JobStatus.RUNNING, claimed_until__lt=now
    )
    with transaction.atomic():
        candidates = Job.objects.filter(due).order_by("run_after", "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        first = candidates.first()
        if first is None:
            return []
        size = _BATCH_HANDLERS[first.kind][1]() if first.kind in _BATCH_HANDLERS else 1
        jobs = [first]
        if size > 1:
            jobs += list(candidates.filter(kind=first.kind).exclude(pk=first.pk)[: size - 1])
        claim = {
            "status": JobStatus.RUNNING,
            "claimed_by": worker,
            "claimed_until": now + dt.timedelta(seconds=_claim_seconds()),
            "started_at": now,
        }
        Job.objects.filter(pk__in=[job.pk for job in jobs]).update(
            attempts=F("attempts") + 1, **claim
        )
        for job in jobs:
            for name, value in claim.items():
                setattr(job, name, value)
            job.attempts += 1
        return jobs


def _mine(job: Job) -> Any:
    """This claim of the job: a worker whose lease was lost changes nothing."""
    return Job.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, claimed_by=job.claimed_by, attempts=job.attempts
    )


@contextmanager
def _lease(*jobs: Job) -> Iterator[None]:
    """Renew the jobs' claims every third of their length while the handler runs."""
    seconds = _claim_seconds()
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(seconds / 3):
                until = timezone.now() + dt.timedelta(seconds=seconds)
                for job in jobs:
                    try:
                        _mine(job).update(claimed_until=until)
                    except Exception:
                        logger.exception("Could not renew the claim of job %s", job.pk)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=renew, name=f"safeops-lease-{jobs[0].pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _progress_writer(job: Job) -> Progress:
    last = [0.0]

    def report(fraction: float, message: str = "") -> None:
        now = timezone.now().timestamp()
        if now - last[0] < PROGRESS_MIN_INTERVAL_SECONDS and fraction < 1.0:
            return
        last[0] = now
        Job.objects.filter(pk=job.pk).update(
            progress=max(0.0, min(1.0, fraction)), progress_message=message[:200]
        )

    return report


def retry_delay(attempt: int) -> dt.timedelta:
    """The wait before retrying after failed attempt number `attempt` (1, 2, …): the base
    doubled per attempt, capped, the second half of it random (jitter)."""
    base = float(settings.JOBS_RETRY_BASE_SECONDS)
    ceiling = min(float(settings.JOBS_RETRY_MAX_SECONDS), base * 2 ** max(0, attempt - 1))
    return dt.timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))  # noqa: S311


def run_job(job: Job) -> Job:
    """Run one claimed job and record its outcome."""
    handler = _HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise JobError(f"No handler is registered for job kind {job.kind!r}.")
        with _lease(job):
            result = handler(job, _progress_writer(job))
    except JobError as error:
        _finish(job, JobStatus.FAILED, error=str(error))
    except Exception:
        logger.exception("Job %s failed", job)
        _crashed(job, traceback.format_exc())
    else:
        _finish(job, JobStatus.DONE, result=result)
    job.refresh_from_db()
    return job


def _crashed(job: Job, error: str) -> None:
    if job.attempts < job.max_attempts:
        base = max(timezone.now(), job.started_at or timezone.now())
        _finish(job, JobStatus.QUEUED, error=error, run_after=base + retry_delay(job.attempts))
    else:
        _finish(job, JobStatus.FAILED, error=error)


def run_batch(jobs: list[Job]) -> None:
    """Run claimed jobs of one kind through its batch handler; record them done in one write.
    A crash of the batch is each job's crash (retried as usual)."""
    handler = _BATCH_HANDLERS[jobs[0].kind][0]
    try:
        with _lease(*jobs):
            results = handler(jobs)
    except Exception:
        logger.exception("Batch of %s %s jobs failed", len(jobs), jobs[0].kind)
        for job in jobs:
            _crashed(job, traceback.format_exc())
        return
    # One write per distinct result (a batch's jobs mostly end alike), each only while the
    # claim is still this worker's.
    alike: dict[str, list[int]] = {}
    for job in jobs:
        alike.setdefault(json.dumps(results.get(job.pk), sort_keys=True), []).append(job.pk)
    for result, ids in alike.items():
        Job.objects.filter(
            pk__in=ids, status=JobStatus.RUNNING, claimed_by=jobs[0].claimed_by
        ).update(
            status=JobStatus.DONE,
            result=json.loads(result),
            progress=1.0,
            finished_at=timezone.now(),
            claimed_until=None,
            error="",
        )


def _finish(
    job: Job,
    status: str,
    *,
    result: Any = None,
    error: str = "",
    run_after: dt.datetime | None = None,
) -> None:
    fields: dict[str, Any] = {"status": status, "error": error[-5000:], "claimed_until": None}
    if status == JobStatus.DONE:
        fields.update(result=result, progress=1.0, finished_at=timezone.now())
    elif status == JobStatus.FAILED:
        fields["finished_at"] = timezone.now()
    if run_after is not None:
        fields["run_after"] = run_after
    if not _mine(job).update(**fields):
        logger.warning("Job %s was claimed again meanwhile; its outcome is not recorded", job.pk)


def run_due_jobs(
    *, now: dt.datetime | None = None, limit: int = 100, worker: str | None = None
) -> int:
    """Run every job due at `now` (tests and `safeops worker --once`). Returns how many ran."""
    name = worker or _worker_name()
    count = 0
    while count < limit:
        jobs = _claim(now or timezone.now(), name)
        if not jobs:
            break
        if len(jobs) > 1:
            run_batch(jobs)
        else:
            run_job(jobs[0])
        count += len(jobs)
    return count


# --- Operations: pruning (retry and health queries: core.jobs_ops) ----------------------------


def jobs_prune(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete done and cancelled jobs after JOBS_KEEP_DONE_DAYS, failed ones after
    JOBS_KEEP_FAILED_DAYS, and heartbeats of workers gone as long."""
    now = now or timezone.now()
    done_cutoff = now - dt.timedelta(days=int(settings.JOBS_KEEP_DONE_DAYS))
    failed_cutoff = now - dt.timedelta(days=int(settings.JOBS_KEEP_FAILED_DAYS))
    done = Job.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.CANCELLED], finished_at__lt=done_cutoff
    ).delete()[0]
    failed = Job.objects.filter(status=JobStatus.FAILED, finished_at__lt=failed_cutoff).delete()[0]
    workers = WorkerHeartbeat.objects.filter(seen_at__lt=done_cutoff).delete()[0]
    return {"done": done, "failed": failed, "workers": workers}


@job_handler(PRUNE_JOB)
def prune_jobs(job: Job, progress: Progress) -> dict[str, Any]:
    return dict(jobs_prune())


def _heartbeat(name: str, started_at: dt.datetime) -> None:
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(name=name).update(seen_at=now):
        WorkerHeartbeat.objects.create(name=name, started_at=started_at, seen_at=now)


# --- The worker ------------------------------------------------------------------------------

_worker_numbers = iter(range(1, 1_000_000))


class Worker:
    """A polling loop over due jobs; `stop()` ends it after the current job.

    Each loop queues the schedules' next slots (once per slot in this process) and runs due
    jobs; a thread reports the worker alive every few seconds, even during a long job.
    """

    def __init__(self, *, poll_seconds: float = POLL_SECONDS) -> None:
        self.poll_seconds = poll_seconds
        self.name = f"{socket.gethostname()}:{os.getpid()}:w{next(_worker_numbers)}"[-80:]
        self._stop = threading.Event()
        self._queued_slots: set[str] = set()

    def stop(self) -> None:
        self._stop.set()

    def _report_alive(self) -> None:
        started_at = timezone.now()
        try:
            while True:
                try:
                    _heartbeat(self.name, started_at)
                except Exception:
                    logger.exception("Job worker heartbeat error")
                if self._stop.wait(HEARTBEAT_SECONDS):
                    break
            WorkerHeartbeat.objects.filter(name=self.name).delete()
        except Exception:
            logger.exception("Job worker heartbeat error")
        finally:
            connections.close_all()

    def _queue_schedules(self) -> None:
        now = timezone.now()
        keys = {schedule.next_slot(now)[1] for schedule in SCHEDULES}
        if keys <= self._queued_slots:
            return
        schedules_materialise(now=now)
        self._queued_slots = keys

    def run_forever(self) -> None:
        alive = threading.Thread(
            target=self._report_alive, name="safeops-jobs-heartbeat", daemon=True
        )
        alive.start()
        try:
            while not self._stop.is_set():
                try:
                    self._queue_schedules()
                    ran = run_due_jobs(limit=10, worker=self.name)
                except Exception:
                    logger.exception("Job worker loop error")
                    ran = 0
                finally:
                    close_old_connections()
                if not ran:
                    self._stop.wait(self.poll_seconds)
        finally:
            self._stop.set()
            alive.join(timeout=HEARTBEAT_SECONDS)

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name="safeops-jobs", daemon=True)
        thread.start()
        return thread
