"""Patrol listens to dispatch: when a request is cleared, the officer's rest of the day is
re-planned from the request's place (a job, queued in the clearing transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeops.core.jobs import job_enqueue
from safeops.dispatch.hooks import request_cleared
from safeops.patrol.jobs import REPLAN
from safeops.patrol.models import PatrolPlan


def on_request_cleared(
    sender: Any, *, request: Any, officer_id: int | None, at: dt.datetime, **kwargs: Any
) -> None:
    if officer_id is None:
        return
    local = timezone.localtime(at)
    if not PatrolPlan.objects.filter(person_id=officer_id, day=local.date()).exists():
        return
    job_enqueue(
        kind=REPLAN,
        payload={
            "person_id": officer_id,
            "day": local.date().isoformat(),
            "latitude": request.latitude,
            "longitude": request.longitude,
            "minute": local.hour * 60 + local.minute,
        },
        dedupe_key=f"patrol.replan:{officer_id}:{local.date().isoformat()}",
    )


def connect() -> None:
    request_cleared.connect(on_request_cleared, weak=False, dispatch_uid="patrol.replan")
