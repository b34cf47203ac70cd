"""On-view calls: an officer opens a request where they are (a bus stop, a patrol find).

The call starts assigned to the officer and on scene, at the officer's point; it may name a
school (the zone is then the school's) or none (the zone of the nearest school). From there it
runs the ordinary lifecycle: cleared with a disposition (and, for enforcement, the
demographics), or reassigned by a dispatcher. Timeline, audit and the board as for any request.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeops.access import viewer_for
from safeops.accounts.models import User
from safeops.core.audit import audit_write
from safeops.core.discipline import discipline_guard
from safeops.core.models import AuditAction
from safeops.dispatch.choices import DEFAULT_PRIORITY, Category, EventKind, Priority, Source, Status
from safeops.dispatch.exceptions import NOT_AN_OFFICER
from safeops.dispatch.models import OfficerStatus, StatusEvent, SupportRequest
from safeops.dispatch.recommend import note_loads
from safeops.dispatch.serialize import request_payload
from safeops.dispatch.services.common import (
    UNKNOWN_CATEGORY,
    UNKNOWN_PRIORITY,
    RequestCreated,
    dispatch_settings_get,
)
from safeops.dispatch.services.events import officer_payloads, record_event, request_groups
from safeops.dispatch.services.officer_load import check_available, hold
from safeops.dispatch.services.places import nearest_school, zone_of_school
from safeops.dispatch.services.requests import _record_override
from safeops.schools.models import School
from safeops.staff.choices import Role

ON_VIEW_NOTE = "On-view: opened by the officer on scene."
ON_VIEW_NEEDS_PLACE = "Describe the place (e.g. the bus stop) or pick a school."
SCHOOL_OTHER_DISTRICT = "The school is in another district."


def request_on_view(
    *,
    actor: User,
    category: str,
    summary: str,
    latitude: float,
    longitude: float,
    location_description: str = "",
    school: School | None = None,
    priority: str = "",
    client_key: str = "",
    safety_reason: str = "",
) -> RequestCreated:
    """Open an on-view call for the acting officer at their position (see the module). A
    discipline matter is refused like any request, unless `safety_reason` says why it is one of
    safety (the same guard and recorded override as `request_create`)."""
    viewer = viewer_for(actor)
    if viewer.role != Role.SSO or viewer.person_id is None or viewer.district_id is None:
        raise PermissionDenied(NOT_AN_OFFICER)
    if client_key:  # a retry (the officer now holds the call: answer before the load check)
        existing = SupportRequest.objects.filter(requester=actor, client_key=client_key).first()
        if existing is not None:
            return RequestCreated(existing, [], replayed=True)
    district_id = viewer.district_id
    if school is not None and school.district_id != district_id:
        raise ValidationError({"school_id": SCHOOL_OTHER_DISTRICT})
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
    priority = priority or DEFAULT_PRIORITY[Category(category)].value
    if priority not in Priority.values:
        raise ValidationError({"priority": UNKNOWN_PRIORITY})
    if school is None and not location_description.strip():
        raise ValidationError({"location_description": ON_VIEW_NEEDS_PLACE})
    zone_school = school or nearest_school(
        district_id=district_id, latitude=latitude, longitude=longitude
    )
    request = SupportRequest(
        district_id=district_id,
        school=school,
        zone=zone_of_school(zone_school) if zone_school is not None else None,
        latitude=latitude,
        longitude=longitude,
        location_description=location_description.strip(),
        requester=actor,
        requester_label=actor.get_username(),
        category=category,
        priority=priority,
        summary=summary.strip(),
        client_key=client_key,
        source=Source.ON_VIEW,
        status=Status.ON_SCENE,
        eta_minutes=0.0,
        response_seconds=0.0,
    )
    request.full_clean(
        exclude=["district", "school", "zone", "requester", "officer"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            status = _open_locked(request, actor, viewer.person_id)
            _record_override(override, request, actor)
    except IntegrityError:
        existing = SupportRequest.objects.filter(requester=actor, client_key=client_key).first()
        if not client_key or existing is None:
            raise
        return RequestCreated(existing, [], replayed=True)
    loads = {status.person_id: status.open_request_count}
    note_loads(district_id=district_id, loads=loads)
    return RequestCreated(request, [], replayed=False)


def _open_locked(request: SupportRequest, actor: User, person_id: int) -> OfficerStatus:
    status = (
        OfficerStatus.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(person_id=person_id)
        .first()
    )
    settings = dispatch_settings_get(district_id=request.district_id)
    person_name = status.person.full_name if status is not None else actor.get_username()
    status = check_available(status, settings, person_name)
    now = timezone.now()
    request.officer = status.person
    request.assigned_at = request.acknowledged_at = request.on_scene_at = now
    request.eta_updated_at = now
    request.save()
    hold(status, request)
    for from_status, to_status in (("", Status.NEW), (Status.NEW, Status.ON_SCENE)):
        StatusEvent.objects.create(
            request=request,
            from_status=from_status,
            to_status=to_status,
            officer=status.person,
            actor=actor,
            actor_label=actor.get_username(),
            at=now,
            note=ON_VIEW_NOTE,
        )
    audit_write(
        actor=actor, action=AuditAction.CREATE, instance=request, before=None, note="on-view"
    )
    record_event(
        district_id=request.district_id,
        kind=EventKind.REQUEST,
        request=request,
        officer_id=status.person_id,
        payload={"request": request_payload(request), "officers": officer_payloads([status])},
        groups=request_groups(request, status.person_id),
        now=now,
    )
    return status
