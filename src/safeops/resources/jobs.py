"""The daily freshness job: verification tasks for stale records, then queue tomorrow's run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeops.core.jobs import Progress, job_enqueue, job_handler
from safeops.core.models import Job
from safeops.resources.services import verification_tasks_create

FRESHNESS_JOB = "resources.freshness"
FRESHNESS_HOUR = 6


def next_run(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=FRESHNESS_HOUR, minute=15, second=0, microsecond=0)
    if run <= local:
        run += dt.timedelta(days=1)
    return run


def freshness_schedule(*, now: dt.datetime | None = None) -> Job:
    """Queue the next daily run (replacing any queued one)."""
    return job_enqueue(
        kind=FRESHNESS_JOB, run_after=next_run(now or timezone.now()), dedupe_key=FRESHNESS_JOB
    )


@job_handler(FRESHNESS_JOB)
def freshness_job(job: Job, progress: Progress) -> dict[str, Any]:
    created = verification_tasks_create(today=timezone.localdate())
    freshness_schedule()
    return {"tasks_created": created}
