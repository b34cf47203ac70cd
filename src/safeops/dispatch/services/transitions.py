"""Moving a request along its lifecycle: the idempotency key, the retry when the officer moved,
the locks. What each change checks and does is its action class (`actions.py`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from safeops.core.audit import Actor
from safeops.dispatch.choices import (
    TO_OFFICER,
    Status,
)
from safeops.dispatch.exceptions import (
    KEY_REUSED,
    REQUEST_CHANGED,
    DispatchConflict,
)
from safeops.dispatch.holds import assignment_in_flight
from safeops.dispatch.models import (
    OfficerStatus,
    StatusEvent,
    SupportRequest,
)
from safeops.dispatch.services.actions import Unknown, apply_transition
from safeops.dispatch.services.common import Change, DemographicsInput, TransitionResult
from safeops.dispatch.services.places import school_place


class _OfficerMoved(Exception):
    """The request's officer changed between the peek and the lock: retry."""


def request_assign(
    *,
    request_id: int,
    officer_id: int,
    actor: Actor,
    idempotency_key: str = "",
    holder_hint: int | Unknown | None = Unknown.HOLDER,
    override_reason: str = "",
) -> TransitionResult:
    """Give the request to an officer (assigned, or reassigned if it had one). Atomic: of two
    dispatchers assigning one officer at once, one succeeds and the other gets a conflict.

    `holder_hint`: the officer the caller just read as holding the request (saves a query; a
    stale hint costs a retry, never a wrong result: the request row is re-read under lock).
    `override_reason`: why an officer whose SRO standing lapsed is sent (the district allows
    it only with a reason; recorded on the timeline and in the audit log)."""
    with assignment_in_flight(officer_id):  # recommendations meanwhile pass over the officer
        change = Change(
            request_id=request_id,
            to_status=None,
            officer_id=officer_id,
            actor=actor,
            key=idempotency_key,
            override_reason=override_reason,
        )
        return _transition(change, holder_hint=holder_hint)


def request_transition(
    *,
    request_id: int,
    to_status: str,
    actor: Actor,
    idempotency_key: str = "",
    officer_id: int | None = None,
    disposition: str = "",
    note: str = "",
    demographics: DemographicsInput | None = None,
    holder_hint: int | Unknown | None = Unknown.HOLDER,
    override_reason: str = "",
) -> TransitionResult:
    """Move the request along the lifecycle (`choices.TRANSITIONS`). A retry with the same
    idempotency key returns the first result; an illegal change is a DispatchConflict naming
    the allowed next statuses. `holder_hint` as for request_assign."""
    if to_status not in Status.values:
        message = gettext("Unknown status; use one of {choices}.")
        raise ValidationError({"to_status": message.format(choices=", ".join(Status.values))})
    change = Change(
        request_id=request_id,
        to_status=Status(to_status),
        officer_id=officer_id,
        actor=actor,
        key=idempotency_key,
        disposition=disposition,
        note=note,
        demographics=demographics,
        override_reason=override_reason,
    )
    return _transition(change, holder_hint=holder_hint)


def _transition(
    change: Change, *, holder_hint: int | Unknown | None = Unknown.HOLDER
) -> TransitionResult:
    request_id = change.request_id
    for attempt in range(3):
        if attempt == 0 and not isinstance(holder_hint, Unknown):
            held_by = holder_hint
        else:
            peek = SupportRequest.objects.filter(pk=request_id).values_list("officer_id").first()
            if peek is None:
                raise SupportRequest.DoesNotExist(f"No support request {request_id}.")
            held_by = peek[0]
        try:
            with transaction.atomic():
                return _transition_locked(change, held_by=held_by)
        except _OfficerMoved:
            continue
        except IntegrityError:
            # A retry with a key the database already holds (a concurrent retry, or one the
            # lifecycle would still allow): answer with the first result.
            replay = _replayed(SupportRequest.objects.get(pk=request_id), change)
            if replay is None:
                raise
            return replay
    raise DispatchConflict(REQUEST_CHANGED, field="request")


def _replayed(request: SupportRequest, change: Change) -> TransitionResult | None:
    """The first result of a retried change (same idempotency key), or None if the key is new.

    A key already used for a different change is a conflict.
    """
    if not change.key:
        return None
    previous = StatusEvent.objects.filter(request=request, idempotency_key=change.key).first()
    if previous is None:
        return None
    if not _same_change(previous, change):
        raise DispatchConflict(
            KEY_REUSED.format(target=previous.to_status), field="idempotency_key"
        )
    return TransitionResult(request, previous, replayed=True)


def _same_change(event: StatusEvent, change: Change) -> bool:
    if change.to_status is None:
        return event.to_status in TO_OFFICER and event.officer_id == change.officer_id
    return event.to_status == change.to_status


def _transition_locked(change: Change, *, held_by: int | None) -> TransitionResult:
    ids = sorted({i for i in (held_by, change.officer_id) if i is not None})
    locked = {
        s.person_id: s
        for s in OfficerStatus.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(person_id__in=ids)
        .order_by("person_id")
    }
    request = SupportRequest.objects.select_for_update(of=("self",)).get(pk=change.request_id)
    if request.officer_id != held_by:
        raise _OfficerMoved
    _attach_related(request, locked)
    try:
        return apply_transition(request=request, locked=locked, change=change)
    except (DispatchConflict, PermissionDenied, ValidationError):
        # A retried change is looked up only when it would fail now (or, in _transition, when
        # its key is already stored): the first attempt's result, not today's refusal.
        replay = _replayed(request, change)
        if replay is None:
            raise
        return replay


def _attach_related(request: SupportRequest, locked: dict[int, OfficerStatus]) -> None:
    """Give the request its school, zone and officer from what the transition already holds
    (the school-place cache, the locked officer rows) rather than joining them under the lock."""
    place = school_place(school_id=request.school_id) if request.school_id is not None else None
    if place is not None:
        request.school = place[0]
        if place[1] is not None and place[1].pk == request.zone_id:
            request.zone = place[1]
    if request.officer_id is not None and request.officer_id in locked:
        request.officer = locked[request.officer_id].person
