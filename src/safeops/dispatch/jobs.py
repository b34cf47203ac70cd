"""The escalation timer: a database job per awaiting request (survives a restart)."""

from __future__ import annotations

from typing import Any

from safeops.core.jobs import Progress, job_handler
from safeops.core.models import Job
from safeops.dispatch.services import ESCALATE_JOB, request_escalate


@job_handler(ESCALATE_JOB)
def escalate_unacknowledged(job: Job, progress: Progress) -> dict[str, Any]:
    result = request_escalate(
        request_id=int(job.payload["request_id"]), timer_event_id=int(job.payload["event_id"])
    )
    if result is None:
        return {"escalated": False}
    return {"escalated": True, "officer_id": result.request.officer_id}
