"""The daily freshness job: verification tasks for stale records (its time is in
safeops.core.jobs.SCHEDULES)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safeops.core.jobs import Progress, job_handler
from safeops.core.models import Job
from safeops.resources.services import verification_tasks_create

FRESHNESS_JOB = "resources.freshness"


@job_handler(FRESHNESS_JOB)
def freshness_job(job: Job, progress: Progress) -> dict[str, Any]:
    return {"tasks_created": verification_tasks_create(today=timezone.localdate())}
