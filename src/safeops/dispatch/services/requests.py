"""Filing a support request: who may file for which school, and the officers ranked for it."""

from __future__ import annotations

import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeops.access import Viewer, viewer_for
from safeops.accounts.models import User
from safeops.core.audit import Actor, audit_write
from safeops.core.discipline import (
    SafetyOverride,
    discipline_guard,
    discipline_override_record,
)
from safeops.core.models import AuditAction
from safeops.dispatch.choices import (
    DEFAULT_PRIORITY,
    Category,
    EventKind,
    Priority,
    Status,
)
from safeops.dispatch.credentials import lapsed_reasons
from safeops.dispatch.holds import assignments_in_flight, offer_first, offered_elsewhere
from safeops.dispatch.models import (
    StatusEvent,
    SupportRequest,
)
from safeops.dispatch.recommend import (
    Candidate,
    officer_snapshot,
    rank_officers,
    ruled_out,
)
from safeops.dispatch.serialize import request_payload
from safeops.dispatch.services.common import (
    MAY_NOT_REQUEST,
    NEED_A_PLACE,
    POINT_NEEDS_BOTH,
    REQUESTER_ROLES,
    SCHOOL_NOT_YOURS,
    UNKNOWN_CATEGORY,
    UNKNOWN_PRIORITY,
    RequestCreated,
    actor_label,
    dispatch_settings_get,
    is_supervisor,
)
from safeops.dispatch.services.events import record_event, request_groups
from safeops.dispatch.services.places import nearest_school, zone_of_school
from safeops.schools.models import School


def may_file_for(viewer: Viewer, school: School) -> bool:
    """A supervisor files for any school of their district; an SA or a principal for theirs."""
    if is_supervisor(viewer):
        return viewer.is_superuser or school.district_id == viewer.district_id
    return viewer.role in REQUESTER_ROLES and school.pk in viewer.school_ids


def _check_requester(viewer: Viewer, school: School | None) -> int:
    """The district the request belongs to; PermissionDenied if the user may not file it."""
    if not (is_supervisor(viewer) or viewer.role in REQUESTER_ROLES):
        raise PermissionDenied(MAY_NOT_REQUEST)
    if school is not None and not may_file_for(viewer, school):
        raise PermissionDenied(SCHOOL_NOT_YOURS)
    if is_supervisor(viewer):
        district_id = school.district_id if school is not None else viewer.district_id
    elif viewer.role in REQUESTER_ROLES:
        district_id = viewer.district_id
    else:
        raise PermissionDenied(MAY_NOT_REQUEST)
    if district_id is None:
        raise PermissionDenied(MAY_NOT_REQUEST)
    return district_id


def request_create(
    *,
    actor: User,
    category: str,
    summary: str,
    priority: str = "",
    school: School | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    location_description: str = "",
    client_key: str = "",
    safety_reason: str = "",
) -> RequestCreated:
    """File a support request and rank the officers for it.

    A discipline matter is refused (DisciplineRefusal) and counted, unless `safety_reason`
    says why it is a safety matter: then it is filed and the override recorded (audited). A
    retried create with the same `client_key` returns the first request (`replayed`).
    """
    viewer = viewer_for(actor)
    district_id = _check_requester(viewer, school)
    override = discipline_guard(
        category=category,
        text=f"{summary} {location_description}",
        source="dispatch",
        school=school,
        district_id=district_id,
        safety_reason=safety_reason,
    )
    if category not in Category.values:
        raise ValidationError(
            {"category": UNKNOWN_CATEGORY.format(choices=", ".join(Category.values))}
        )
    if not priority:
        priority = DEFAULT_PRIORITY[Category(category)].value
    if priority not in Priority.values:
        raise ValidationError({"priority": UNKNOWN_PRIORITY})
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": POINT_NEEDS_BOTH})
    if school is None and (latitude is None or not location_description.strip()):
        raise ValidationError({"school_id": NEED_A_PLACE})
    zone_school = school
    if zone_school is None and latitude is not None and longitude is not None:
        zone_school = nearest_school(
            district_id=district_id, latitude=latitude, longitude=longitude
        )
    request = SupportRequest(
        district_id=district_id,
        school=school,
        zone=zone_of_school(zone_school) if zone_school is not None else None,
        latitude=latitude if latitude is not None else school.latitude,  # type: ignore[union-attr]
        longitude=longitude if longitude is not None else school.longitude,  # type: ignore[union-attr]
        location_description=location_description.strip(),
        requester=actor,
        requester_label=actor.get_username(),
        category=category,
        priority=priority,
        summary=summary.strip(),
        client_key=client_key,
    )
    # The related rows come from this service (no existence queries). A retried create (same
    # client key) is found by the database's unique constraint: the IntegrityError below.
    request.full_clean(
        exclude=["district", "school", "zone", "requester", "officer"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            _create_locked(request, actor)
            _record_override(override, request, actor)
    except IntegrityError:
        existing = SupportRequest.objects.filter(requester=actor, client_key=client_key).first()
        if not client_key or existing is None:
            raise
        return RequestCreated(existing, request_candidates(request=existing), replayed=True)
    started = time.perf_counter()
    candidates = _offer(request)
    return RequestCreated(
        request, candidates, replayed=False, recommend_seconds=time.perf_counter() - started
    )


def _offer(request: SupportRequest) -> list[Candidate]:
    """The new request's candidates, its first officer held for it a few seconds in this
    process (`holds.offer_first`). Claiming the officer across processes through Redis
    was measured and dropped (docs/dispatch.md): fewer refused assignments, no better p99."""
    candidates = request_candidates(request=request)
    if candidates:
        offer_first(candidates[0].officer_id, request.pk)
    return candidates


def _record_override(override: SafetyOverride | None, request: SupportRequest, actor: User) -> None:
    if override is not None:
        discipline_override_record(
            override=override,
            actor=actor,
            instance=request,
            school=request.school,
            district_id=request.district_id,
        )


def _create_locked(request: SupportRequest, actor: Actor) -> None:
    """Save a new request with its timeline row, audit entry and board event (in the caller's
    transaction)."""
    now = timezone.now()
    request.save()
    user, label = actor_label(actor)
    StatusEvent.objects.create(
        request=request,
        from_status="",
        to_status=Status.NEW,
        actor=user,
        actor_label=label[:150],
        at=now,
    )
    audit_write(actor=actor, action=AuditAction.CREATE, instance=request, before=None)
    record_event(
        district_id=request.district_id,
        kind=EventKind.REQUEST,
        request=request,
        officer_id=None,
        payload={"request": request_payload(request), "officers": []},
        groups=request_groups(request),
        now=now,
    )


def request_candidates(
    *, request: SupportRequest, exclude: frozenset[int] = frozenset(), limit: int | None = 10
) -> list[Candidate]:
    """On-duty, available officers ranked by ETA to the request (own zone preferred)."""
    settings = dispatch_settings_get(district_id=request.district_id)
    snapshot = officer_snapshot(request.district_id)
    exclude = exclude | ruled_out(snapshot, district_id=request.district_id)  # off shift
    return rank_officers(
        snapshot,
        latitude=request.latitude,
        longitude=request.longitude,
        zone_id=request.zone_id,
        settings=settings,
        exclude=exclude,
        limit=limit,
        lapsed=lapsed_reasons(district_id=request.district_id),
        in_flight=assignments_in_flight(),
        held=offered_elsewhere(request.pk),
    )
