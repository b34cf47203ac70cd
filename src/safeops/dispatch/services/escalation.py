"""The acknowledgement timer fired: offer the request on and alert the supervisors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeops.core.jobs import job_enqueue
from safeops.dispatch.alerts import page_supervisors
from safeops.dispatch.choices import (
    AWAITING_ACK,
    TO_OFFICER,
    AlertKind,
    Priority,
    Status,
)
from safeops.dispatch.exceptions import (
    DispatchConflict,
)
from safeops.dispatch.models import (
    Alert,
    SupportRequest,
)
from safeops.dispatch.recommend import (
    forget_officers,
)
from safeops.dispatch.services.alerts import alert_raise
from safeops.dispatch.services.common import (
    ESCALATE_JOB,
    ESCALATION_ACTOR,
    Change,
    TransitionResult,
    dispatch_settings_get,
)
from safeops.dispatch.services.requests import request_candidates
from safeops.dispatch.services.timers import timer_key
from safeops.dispatch.services.transitions import _transition


def request_escalate(*, request_id: int, timer_event_id: int) -> TransitionResult | None:
    """The acknowledgement timer fired: offer the request to the next-best officer and alert
    the supervisors (the live board). Does nothing if the request moved on meanwhile."""
    request = (
        SupportRequest.objects.select_related("officer", "school").filter(pk=request_id).first()
    )
    if request is None or request.status not in AWAITING_ACK:
        return None
    last = request.events.order_by("-id").first()
    if last is None or last.pk != timer_event_id:
        return None
    settings = dispatch_settings_get(district_id=request.district_id)
    seconds = settings.ack_seconds(request.priority) or 0
    tried = frozenset(
        pid
        for pid in request.events.filter(to_status__in=list(TO_OFFICER)).values_list(
            "officer_id", flat=True
        )
        if pid is not None
    )
    forget_officers(request.district_id)
    unanswered = {  # the alert's words; no officer named is worded "anyone"
        "priority": Priority(request.priority).name,
        "request": request.pk,
        "place": request.place,
        "officer": request.officer.full_name if request.officer else "",
        "seconds": seconds,
    }
    for candidate in request_candidates(request=request, exclude=tried, limit=None):
        if candidate.lapsed:  # sending a lapsed officer needs a person's recorded reason
            continue
        try:
            result = _transition(
                Change(
                    request_id=request.pk,
                    to_status=Status.ESCALATED,
                    officer_id=candidate.officer_id,
                    actor=ESCALATION_ACTOR,
                    key=f"escalate:{timer_event_id}",
                )
            )
        except DispatchConflict as conflict:
            if conflict.field != "officer_id":
                return None  # the request moved on (cancelled, acknowledged) meanwhile
            continue
        if not result.replayed:
            params = {**unanswered, "next_officer": candidate.name}
            with transaction.atomic():
                alert = _alert(result.request, AlertKind.ESCALATED, params)
                page_supervisors(
                    request=request, message=alert.messages, timer_event_id=timer_event_id
                )
        return result
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().filter(pk=request.pk).first()
        if locked is None or locked.status not in AWAITING_ACK:
            return None  # closed or acknowledged while the officers were tried
        if not request.alerts.filter(resolved_at__isnull=True).exists():
            alert = _alert(request, AlertKind.NO_OFFICER, unanswered)
            page_supervisors(request=request, message=alert.messages, timer_event_id=timer_event_id)
        job_enqueue(  # try again after another period
            kind=ESCALATE_JOB,
            payload={"request_id": request.pk, "event_id": timer_event_id},
            run_after=timezone.now() + dt.timedelta(seconds=max(seconds, 10)),
            dedupe_key=timer_key(request.pk),
        )
    return None


def _alert(request: SupportRequest, kind: AlertKind, params: dict[str, Any]) -> Alert:
    return alert_raise(district_id=request.district_id, request=request, kind=kind, params=params)


def district_alert(
    *,
    district_id: int,
    kind: str = AlertKind.TEXT,
    params: dict[str, Any] | None = None,
    message: str = "",
    link: str = "",
) -> Alert:
    """A supervisor alert on the live board that concerns no request yet (e.g. a tip of
    imminent harm), worded by `kind` and `params` or free text in `message`; it must carry no
    confidential narrative; `link` is a same-site path."""
    return alert_raise(
        district_id=district_id, kind=kind, params=params, message=message, link=link
    )
