"""The daily training-reminder job (its time is in safeops.core.jobs.SCHEDULES)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safeops.core.jobs import Progress, job_handler
from safeops.core.models import Job
from safeops.training.services import training_reminders_send

REMINDER_JOB = "training.reminders"


@job_handler(REMINDER_JOB)
def reminders_job(job: Job, progress: Progress) -> dict[str, Any]:
    return {"sent": training_reminders_send(on=timezone.localdate())}
