"""An officer's check-in at a stop (verified by position) and skip (with a reason).

Both come from the phone, maybe late (queued while there was no signal), each with a
client-made idempotency key: the same key again returns the stop as it is, changing nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from planning.geo import haversine_km
from safeops.access import viewer_for
from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.models import AuditAction
from safeops.patrol.adapter import patrol_settings
from safeops.patrol.choices import SkipReason, VisitStatus
from safeops.patrol.exceptions import (
    ALREADY_DONE,
    KEY_REUSED,
    NOT_TODAY,
    NOT_YOUR_VISIT,
    SKIP_REASON_REQUIRED,
    PatrolError,
)
from safeops.patrol.models import PlannedVisit


@dataclass(frozen=True)
class VisitResult:
    visit: PlannedVisit
    replayed: bool


def _own_visit(*, visit_id: int, actor: Actor, key: str) -> tuple[PlannedVisit, bool]:
    """The stop, locked, if it is on the actor's own plan; (visit, replayed) for a known key."""
    person_id = None if isinstance(actor, str) else viewer_for(actor).person_id
    visit = (
        PlannedVisit.objects.select_for_update(of=("self",))
        .select_related("plan", "school", "point")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None or person_id is None or visit.plan.person_id != person_id:
        raise Http404(NOT_YOUR_VISIT)
    if key:
        earlier = PlannedVisit.objects.filter(client_key=key).only("pk").first()
        if earlier is not None and earlier.pk != visit.pk:
            raise PatrolError(KEY_REUSED)
        if earlier is not None:
            return visit, True
    if visit.status != VisitStatus.PLANNED:
        raise PatrolError(str(ALREADY_DONE).format(status=visit.get_status_display().lower()))
    if visit.plan.day != timezone.localdate():
        raise PatrolError(NOT_TODAY)
    return visit, False


@transaction.atomic
def visit_check_in(
    *,
    visit_id: int,
    actor: Actor,
    latitude: float,
    longitude: float,
    idempotency_key: str = "",
    at: dt.datetime | None = None,
) -> VisitResult:
    """Check in at a stop. The position is compared with the place: a check-in further away
    than the district's geofence radius is recorded as such (`within_geofence` false)."""
    visit, replayed = _own_visit(visit_id=visit_id, actor=actor, key=idempotency_key)
    if replayed:
        return VisitResult(visit, replayed=True)
    before = snapshot(visit)
    place = visit.place
    metres = 1000.0 * haversine_km(latitude, longitude, place.latitude, place.longitude)
    radius = patrol_settings(district_id=visit.plan.district_id).geofence_m
    visit.status = VisitStatus.CHECKED_IN
    visit.latitude, visit.longitude = latitude, longitude
    visit.distance_m = round(metres, 1)
    visit.within_geofence = metres <= radius
    visit.done_at = at or timezone.now()
    visit.client_key = idempotency_key
    visit.full_clean(exclude=["plan", "school", "point"])
    visit.save()
    note = "checked in" if visit.within_geofence else f"checked in {metres:.0f} m away"
    audit_write(actor=actor, action=AuditAction.UPDATE, instance=visit, before=before, note=note)
    return VisitResult(visit, replayed=False)


@transaction.atomic
def visit_skip(
    *,
    visit_id: int,
    actor: Actor,
    reason: str,
    note: str = "",
    idempotency_key: str = "",
    at: dt.datetime | None = None,
) -> VisitResult:
    """Skip a stop, saying why."""
    if reason not in SkipReason.values:
        raise ValidationError({"reason": SKIP_REASON_REQUIRED})
    visit, replayed = _own_visit(visit_id=visit_id, actor=actor, key=idempotency_key)
    if replayed:
        return VisitResult(visit, replayed=True)
    before = snapshot(visit)
    visit.status = VisitStatus.SKIPPED
    visit.skip_reason = reason
    visit.skip_note = note.strip()[:200]
    visit.done_at = at or timezone.now()
    visit.client_key = idempotency_key
    visit.full_clean(exclude=["plan", "school", "point"])
    visit.save()
    audit_write(
        actor=actor, action=AuditAction.UPDATE, instance=visit, before=before, note="skipped"
    )
    return VisitResult(visit, replayed=False)
