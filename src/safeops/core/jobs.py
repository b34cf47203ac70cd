"""Background jobs and timers that survive a restart.

A job is a row (`core.Job`). `job_enqueue` adds one, optionally for later (`run_after`): that
is how timers work — nothing lives only in memory. A worker (`safeops worker`, or the thread
`safeops serve` starts) claims due jobs one at a time and calls the handler registered for
the job's kind. A claim expires (`CLAIM_SECONDS`), so a job whose worker died is picked up
again after a restart, up to `max_attempts`.

Handlers are registered with `@job_handler("kind")` in an app's `jobs.py`, which the core app
imports at start-up.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from safeops.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 15 * 60
POLL_SECONDS = 0.5
PROGRESS_MIN_INTERVAL_SECONDS = 0.5

Progress = Callable[[float, str], None]
Handler = Callable[[Job, Progress], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}


class JobError(Exception):
    """A handler's expected failure: recorded on the job without a traceback, never retried."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not function:
            raise ValueError(f"A handler for job kind {kind!r} is already registered.")
        _HANDLERS[kind] = function
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


def job_cancel(*, dedupe_key: str) -> int:
    """Cancel queued jobs with this key (a timer no longer needed). Returns how many."""
    return Job.objects.filter(dedupe_key=dedupe_key, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now()
    )


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:80]


def _claim(now: dt.datetime, worker: str) -> Job | None:
    due = Q(status=JobStatus.QUEUED, run_after__lte=now) | Q(
        status=JobStatus.RUNNING, claimed_until__lt=now
    )
    with transaction.atomic():
        candidates = Job.objects.filter(due).order_by("run_after", "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        job = candidates.first()
        if job is None:
            return None
        job.status = JobStatus.RUNNING
        job.claimed_by = worker
        job.claimed_until = now + dt.timedelta(seconds=CLAIM_SECONDS)
        job.attempts += 1
        job.started_at = now
        job.save(update_fields=["status", "claimed_by", "claimed_until", "attempts", "started_at"])
        return job


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


def run_job(job: Job) -> Job:
    """Run one claimed job and record its outcome."""
    handler = _HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise JobError(f"No handler is registered for job kind {job.kind!r}.")
        result = handler(job, _progress_writer(job))
    except JobError as error:
        _finish(job, JobStatus.FAILED, error=str(error))
    except Exception:
        logger.exception("Job %s failed", job)
        retry = job.attempts < job.max_attempts
        _finish(job, JobStatus.QUEUED if retry else JobStatus.FAILED, error=traceback.format_exc())
    else:
        _finish(job, JobStatus.DONE, result=result)
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, *, result: Any = None, error: str = "") -> None:
    fields: dict[str, Any] = {"status": status, "error": error[-5000:], "claimed_until": None}
    if status == JobStatus.DONE:
        fields.update(result=result, progress=1.0, finished_at=timezone.now())
    elif status == JobStatus.FAILED:
        fields["finished_at"] = timezone.now()
    Job.objects.filter(pk=job.pk).update(**fields)


def run_due_jobs(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Run every job due at `now` (tests and `safeops worker --once`). Returns how many ran."""
    worker = _worker_name()
    count = 0
    while count < limit:
        job = _claim(now or timezone.now(), worker)
        if job is None:
            break
        run_job(job)
        count += 1
    return count


class Worker:
    """A polling loop over due jobs; `stop()` ends it after the current job."""

    def __init__(self, *, poll_seconds: float = POLL_SECONDS) -> None:
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run_forever(self) -> None:
        while not self._stop.is_set():
            try:
                ran = run_due_jobs(limit=10)
            except Exception:
                logger.exception("Job worker loop error")
                ran = 0
            finally:
                close_old_connections()
            if not ran:
                self._stop.wait(self.poll_seconds)

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name="safeops-jobs", daemon=True)
        thread.start()
        return thread
