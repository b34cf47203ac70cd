"""The follow-up reminder: one queued job per referral (dedupe key), for its current status."""

from __future__ import annotations

from typing import Any

from safeops.core.jobs import Progress, job_handler
from safeops.core.models import Job
from safeops.referrals.services import FOLLOW_UP_JOB, referral_follow_up_send


@job_handler(FOLLOW_UP_JOB)
def follow_up_job(job: Job, progress: Progress) -> dict[str, Any]:
    payload = job.payload
    sent = referral_follow_up_send(
        referral_id=int(payload["referral_id"]),
        status=str(payload["status"]),
        changed_at=str(payload["changed_at"]),
    )
    return {"sent": sent}
