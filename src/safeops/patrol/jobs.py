"""Patrol's background work: the re-plan after a call, and the morning's plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeops.core.jobs import Progress, job_handler
from safeops.core.models import Job
from safeops.patrol.drop import coverage_drop
from safeops.patrol.services import plan_replan, plans_generate
from safeops.schools.models import District

REPLAN = "patrol.replan"
DAILY = "patrol.daily_plans"
DROP = "patrol.coverage_drop"
JOB_ACTOR = "system:patrol"


@job_handler(REPLAN)
def replan_job(job: Job, progress: Progress) -> dict[str, Any]:
    data = job.payload
    plan = plan_replan(
        person_id=int(data["person_id"]),
        day=dt.date.fromisoformat(data["day"]),
        from_lat=float(data["latitude"]),
        from_lon=float(data["longitude"]),
        from_minute=int(data["minute"]),
        actor=JOB_ACTOR,
    )
    return {"plan": plan.pk, "revision": plan.revision}


@job_handler(DAILY)
def daily_plans_job(job: Job, progress: Progress) -> dict[str, Any]:
    today = timezone.localdate()
    made = 0
    for district_id in District.objects.values_list("pk", flat=True):
        made += len(plans_generate(district_id=district_id, day=today, actor=JOB_ACTOR))
    return {"plans": made}


@job_handler(DROP)
def coverage_drop_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Hand the day of every officer who is gone (off, off duty, on a long call) over."""
    now = timezone.now()
    dropped = []
    for district_id in District.objects.values_list("pk", flat=True):
        dropped += coverage_drop(district_id=district_id, at=now, actor=JOB_ACTOR)
    return {"absorbed": [plan.pk for plan in dropped]}
