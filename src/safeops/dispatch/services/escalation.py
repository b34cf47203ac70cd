"""The acknowledgement timer fired: offer the request on and alert the supervisors."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeops.core.jobs import job_enqueue
from safeops.dispatch import live
from safeops.dispatch.alerts import page_supervisors
from safeops.dispatch.choices import (
    AWAITING_ACK,
    TO_OFFICER,
    EventKind,
    Priority,
    Status,
)
from safeops.dispatch.exceptions import (
    DispatchConflict,
)
from safeops.dispatch.models import (
    DispatchEvent,
    SupportRequest,
)
from safeops.dispatch.recommend import (
    forget_officers,
)
from safeops.dispatch.serialize import request_payload
from safeops.dispatch.services.common import (
    ESCALATE_JOB,
    ESCALATION_ACTOR,
    ESCALATION_ALERT,
    NO_OFFICER_ALERT,
    Change,
    TransitionResult,
    dispatch_settings_get,
)
from safeops.dispatch.services.events import record_event
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
    slow_officer = request.officer.full_name if request.officer else "anyone"
    for candidate in request_candidates(request=request, exclude=tried, limit=5):
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
        except DispatchConflict:
            continue
        if not result.replayed:
            message = ESCALATION_ALERT.format(
                priority=Priority(request.priority).name,
                request=request.pk,
                place=request.place,
                officer=slow_officer,
                seconds=seconds,
                next_officer=candidate.name,
            )
            with transaction.atomic():
                _alert(result.request, message)
                page_supervisors(request=request, message=message, timer_event_id=timer_event_id)
        return result
    message = NO_OFFICER_ALERT.format(
        priority=Priority(request.priority).name,
        request=request.pk,
        place=request.place,
        officer=slow_officer,
        seconds=seconds,
    )
    with transaction.atomic():
        _alert(request, message)
        page_supervisors(request=request, message=message, timer_event_id=timer_event_id)
        job_enqueue(  # try again after another period
            kind=ESCALATE_JOB,
            payload={"request_id": request.pk, "event_id": timer_event_id},
            run_after=timezone.now() + dt.timedelta(seconds=max(seconds, 10)),
            dedupe_key=timer_key(request.pk),
        )
    return None


def _alert(request: SupportRequest, message: str) -> DispatchEvent:
    with transaction.atomic():
        return record_event(
            district_id=request.district_id,
            kind=EventKind.ALERT,
            request=request,
            officer_id=request.officer_id,
            payload={"message": message, "request": request_payload(request)},
            groups=[live.board_group(request.district_id), live.request_group(request.pk)],
            now=timezone.now(),
        )


def district_alert(*, district_id: int, message: str, link: str = "") -> DispatchEvent:
    """A supervisor alert on the live board that concerns no request yet (e.g. a tip of
    imminent harm). `message` must carry no confidential narrative; `link` is a same-site path."""
    if not message.strip():
        raise ValidationError({"message": "An alert needs a message."})
    if link and not link.startswith("/"):
        raise ValidationError({"link": "An alert links to a page of this site (a path)."})
    with transaction.atomic():
        return record_event(
            district_id=district_id,
            kind=EventKind.ALERT,
            request=None,
            officer_id=None,
            payload={"message": message.strip(), "link": link},
            groups=[live.board_group(district_id)],
            now=timezone.now(),
        )
