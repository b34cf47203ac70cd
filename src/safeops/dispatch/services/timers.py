"""The acknowledgement timer: armed on entering an awaiting state, disarmed on leaving."""

from __future__ import annotations

import datetime as dt

from safeops.core.jobs import job_cancel, job_enqueue
from safeops.dispatch.alerts import request_alerts
from safeops.dispatch.choices import (
    AWAITING_ACK,
)
from safeops.dispatch.models import (
    DispatchSettings,
    StatusEvent,
    SupportRequest,
)
from safeops.dispatch.services.common import ESCALATE_JOB


def timer_key(request_id: int) -> str:
    return f"escalate:{request_id}"


def schedule_escalation(
    request: SupportRequest,
    event: StatusEvent,
    settings: DispatchSettings,
    now: dt.datetime,
    *,
    was_awaiting: bool,
) -> None:
    """Arm the acknowledgement timer on entering an awaiting state; disarm it on leaving.

    A timer is queued only while the request awaits acknowledgement, so a request that was not
    awaiting holds none: arming needs no cancel first, and other changes touch no timer."""
    seconds = settings.ack_seconds(request.priority)
    if request.status in AWAITING_ACK and seconds is not None:
        job_enqueue(
            kind=ESCALATE_JOB,
            payload={"request_id": request.pk, "event_id": event.pk},
            run_after=now + dt.timedelta(seconds=seconds),
            dedupe_key=timer_key(request.pk),
            replace=was_awaiting,
        )
    elif was_awaiting:
        job_cancel(dedupe_key=timer_key(request.pk))
    request_alerts(request, event, was_awaiting=was_awaiting)
