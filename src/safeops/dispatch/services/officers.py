"""Officers: duty and position pings."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.models import AuditAction
from safeops.dispatch import live
from safeops.dispatch.choices import (
    EventKind,
    Status,
)
from safeops.dispatch.exceptions import (
    GO_OFF_DUTY_WITH_REQUESTS,
    NOT_AN_OFFICER,
    POSITION_OFF_DUTY,
    DispatchConflict,
)
from safeops.dispatch.models import (
    OfficerStatus,
    SupportRequest,
)
from safeops.dispatch.recommend import (
    eta_minutes,
    forget_officers,
    note_position,
)
from safeops.dispatch.serialize import officer_payload
from safeops.dispatch.services.common import MAY_NOT_CHANGE_OFFICER, is_supervisor, viewer_of
from safeops.dispatch.services.events import officer_payloads, record_event
from safeops.staff.choices import Role
from safeops.staff.models import Person


def _authorize_officer_change(actor: Actor, person: Person) -> None:
    viewer = viewer_of(actor)
    if viewer is None:
        return
    if is_supervisor(viewer) and (viewer.is_superuser or viewer.district_id == person.district_id):
        return
    if viewer.person_id == person.pk:
        return
    raise PermissionDenied(MAY_NOT_CHANGE_OFFICER)


def officer_duty_set(*, officer: Person, on_duty: bool, actor: Actor) -> OfficerStatus:
    """Put an SSO on or off duty. Off duty receives nothing; it needs no open requests."""
    if officer.role != Role.SSO:
        raise ValidationError({"officer_id": NOT_AN_OFFICER})
    _authorize_officer_change(actor, officer)
    now = timezone.now()
    with transaction.atomic():
        OfficerStatus.objects.get_or_create(
            person=officer, defaults={"district_id": officer.district_id}
        )
        status = (
            OfficerStatus.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(person=officer)
        )
        if status.on_duty == on_duty:
            return status
        if not on_duty and status.open_request_count > 0:
            raise DispatchConflict(
                GO_OFF_DUTY_WITH_REQUESTS.format(
                    officer=officer.full_name, count=status.open_request_count
                ),
                field="on_duty",
            )
        before = snapshot(status)
        status.on_duty = on_duty
        status.duty_changed_at = now
        if not on_duty:  # an off-duty officer is not tracked
            status.latitude = status.longitude = status.accuracy_m = status.position_at = None
        status.save()
        audit_write(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=status,
            before=before,
            note="on duty" if on_duty else "off duty",
        )
        record_event(
            district_id=status.district_id,
            kind=EventKind.OFFICER,
            request=None,
            officer_id=officer.pk,
            payload={"officers": officer_payloads([status])},
            groups=[live.board_group(status.district_id), live.officer_group(officer.pk)],
            now=now,
        )
        district_id = status.district_id
        transaction.on_commit(lambda: forget_officers(district_id))
    return status


def officer_position_update(
    *,
    officer: Person,
    latitude: float,
    longitude: float,
    actor: Actor,
    accuracy_m: float | None = None,
    recorded_at: dt.datetime | None = None,
) -> OfficerStatus:
    """Record an on-duty officer's position ping and refresh the ETAs of their requests.

    Pings are telemetry: the latest one is kept (no history, no audit entry) and the board gets
    it live without a sequence number; a resuming board re-reads every officer's position.
    """
    if not (-90 <= latitude <= 90):
        raise ValidationError({"latitude": gettext("Latitude must be between -90 and 90.")})
    if not (-180 <= longitude <= 180):
        raise ValidationError({"longitude": gettext("Longitude must be between -180 and 180.")})
    _authorize_officer_change(actor, officer)
    now = timezone.now()
    at = min(recorded_at, now) if recorded_at is not None else now
    updated = OfficerStatus.objects.filter(person=officer, on_duty=True).update(
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        position_at=at,
        updated_at=now,
    )
    if not updated:
        raise DispatchConflict(POSITION_OFF_DUTY, field="on_duty")
    status = OfficerStatus.objects.get(person=officer)
    status.person = officer
    transaction.on_commit(
        lambda: note_position(
            district_id=status.district_id,
            person_id=officer.pk,
            latitude=latitude,
            longitude=longitude,
            epoch=at.timestamp(),
        )
    )
    # Only an officer holding requests has ETAs to refresh (the row just read says).
    moving = list(
        SupportRequest.objects.filter(
            officer=officer,
            status__in=[
                Status.ASSIGNED,
                Status.REASSIGNED,
                Status.ESCALATED,
                Status.ACKNOWLEDGED,
                Status.EN_ROUTE,
            ],
        ).only("id", "latitude", "longitude", "district_id")
        if status.open_request_count
        else []
    )
    etas: dict[int, float] = {}
    for request in moving:
        etas[request.pk] = eta_minutes(
            from_lat=latitude, from_lon=longitude, to_lat=request.latitude, to_lon=request.longitude
        )
        SupportRequest.objects.filter(pk=request.pk).update(
            eta_minutes=etas[request.pk], eta_updated_at=now
        )
    officer_data = officer_payload(status)
    groups = [live.board_group(status.district_id), live.officer_group(officer.pk)]
    live.publish(
        groups=groups,
        event={"seq": None, "kind": "position", "at": now.isoformat(), "officers": [officer_data]},
    )
    for request_id, eta in etas.items():
        live.publish(
            groups=[live.request_group(request_id)],
            event={
                "seq": None,
                "kind": "eta",
                "at": now.isoformat(),
                "request_id": request_id,
                "eta_minutes": eta,
            },
        )
    return status
