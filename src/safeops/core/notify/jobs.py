"""The notification jobs: a notification's next steps, and a call tree's next tier."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safeops.core.jobs import Progress, job_handler
from safeops.core.models import Job
from safeops.core.notify.services import (
    CALL_TREE_JOB,
    STEPS_JOB,
    call_tree_page_tier,
    notification_run_steps,
)


@job_handler(STEPS_JOB)
def run_steps(job: Job, progress: Progress) -> dict[str, Any]:
    # The job ran for the time it was due: the steps due by then are sent.
    now = max(timezone.now(), job.run_after)
    return notification_run_steps(notification_id=int(job.payload["notification_id"]), now=now)


@job_handler(CALL_TREE_JOB)
def page_tier(job: Job, progress: Progress) -> dict[str, Any]:
    return call_tree_page_tier(payload=job.payload)
