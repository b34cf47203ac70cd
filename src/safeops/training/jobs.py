"""The daily training-reminder job: sends due reminders, then queues itself for tomorrow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeops.core.jobs import Progress, job_enqueue, job_handler
from safeops.core.models import Job
from safeops.training.services import training_reminders_send

REMINDER_JOB = "training.reminders"
REMINDER_HOUR = 6


def next_run(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=REMINDER_HOUR, minute=5, second=0, microsecond=0)
    if run <= local:
        run += dt.timedelta(days=1)
    return run


def reminders_schedule(*, now: dt.datetime | None = None) -> Job:
    """Queue the next daily run (replacing any queued one: one job a day, never two)."""
    return job_enqueue(
        kind=REMINDER_JOB, run_after=next_run(now or timezone.now()), dedupe_key=REMINDER_JOB
    )


@job_handler(REMINDER_JOB)
def reminders_job(job: Job, progress: Progress) -> dict[str, Any]:
    sent = training_reminders_send(on=timezone.localdate())
    reminders_schedule()
    return {"sent": sent}
