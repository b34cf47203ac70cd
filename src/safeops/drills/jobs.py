"""The daily drill-reminder job (its time is in safeops.core.jobs.SCHEDULES)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safeops.core.jobs import Progress, job_handler
from safeops.core.models import Job
from safeops.drills.services import drill_reminders_send

REMINDER_JOB = "drills.reminders"


@job_handler(REMINDER_JOB)
def reminders_job(job: Job, progress: Progress) -> dict[str, Any]:
    return {"sent": drill_reminders_send(on=timezone.localdate())}
