"""Operations on the job queue: the chief's "retry now", and the health checks' queries."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy

from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.models import AuditAction, Job, JobStatus, WorkerHeartbeat
from safeops.core.overseers import is_overseer

MAY_NOT_MANAGE_JOBS = gettext_lazy("Only the security chief may retry background jobs.")
ONLY_FAILED_RETRY = gettext_lazy("Only a failed job can be retried; job {job_id} is {status}.")


def job_retry(*, job_id: int, actor: Actor) -> Job:
    """Queue a failed job again now with its attempts reset (its last error is kept)."""
    if isinstance(actor, str) or not is_overseer(actor):
        raise PermissionDenied(str(MAY_NOT_MANAGE_JOBS))
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.FAILED:
            raise ValidationError(str(ONLY_FAILED_RETRY).format(job_id=job.pk, status=job.status))
        before = snapshot(job)
        job.status = JobStatus.QUEUED
        job.run_after = timezone.now()
        job.attempts = 0
        job.claimed_by = ""
        job.claimed_until = None
        job.finished_at = None
        job.save(
            update_fields=[
                "status",
                "run_after",
                "attempts",
                "claimed_by",
                "claimed_until",
                "finished_at",
            ]
        )
        audit_write(
            actor=actor, action=AuditAction.UPDATE, instance=job, before=before, note="retry now"
        )
    return job


def worker_last_seen() -> dt.datetime | None:
    """When any job worker last reported it was alive."""
    seen: dt.datetime | None = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    return seen


def oldest_due_job_age(*, now: dt.datetime) -> dt.timedelta | None:
    """How long the longest-waiting due job has waited (None when nothing is due)."""
    oldest: dt.datetime | None = Job.objects.filter(
        status=JobStatus.QUEUED, run_after__lte=now
    ).aggregate(oldest=Min("run_after"))["oldest"]
    return None if oldest is None else now - oldest
