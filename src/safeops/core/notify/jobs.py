"""The notification jobs: a notification's next steps, and a call tree's next tier."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from safeops.core.jobs import Progress, job_batch_handler, job_handler
from safeops.core.models import Job
from safeops.core.notify.services import CALL_TREE_JOB, STEPS_JOB, call_tree_page_tier
from safeops.core.notify.steps import notifications_run_steps


def _batch_size() -> int:
    return max(1, int(settings.NOTIFY_STEPS_BATCH))


@job_batch_handler(STEPS_JOB, size=_batch_size)
def run_steps(jobs: list[Job]) -> dict[int, dict[str, Any] | None]:
    # The jobs ran for the time they were due: the steps due by then are sent.
    now = max(timezone.now(), *(job.run_after for job in jobs))
    ids = {job.pk: int(job.payload["notification_id"]) for job in jobs}
    done = notifications_run_steps(notification_ids=list(ids.values()), now=now)
    return {job_id: done.get(notification_id) for job_id, notification_id in ids.items()}


@job_handler(CALL_TREE_JOB)
def page_tier(job: Job, progress: Progress) -> dict[str, Any]:
    return call_tree_page_tier(payload=job.payload)
