"""Writes of the patrol settings: the district's rules, bell times, late-start / early-release
days and patrol points. The CSV imports (`importing.py`) and the settings pages both write
through these, so a row and a form are checked and audited the same way.

Each upsert returns what it did: "created", "updated" or "unchanged" (nothing written).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.models import AuditAction
from safeops.patrol.adapter import patrol_settings
from safeops.patrol.models import BellOverride, BellSchedule, PatrolPoint, PatrolSettings
from safeops.schools.models import School

Outcome = Literal["created", "updated", "unchanged"]
M = TypeVar("M", bound=models.Model)

# How far outside the box of its schools a patrol point may lie (degrees; ~5 km).
AREA_MARGIN_DEGREES = 0.05

SETTINGS_FIELDS = (
    "shift_start",
    "shift_end",
    "arrival_before",
    "arrival_after",
    "dismissal_before",
    "dismissal_after",
    "geofence_m",
    "weekly_visits",
    "high_risk",
    "risk_days",
    "weekends",
    "long_call_minutes",
)


def _upsert(
    *,
    found: M | None,
    new: M,
    values: dict[str, Any],
    actor: Actor,
    note: str,
    validate_constraints: bool = True,
) -> tuple[M, Outcome]:
    """Set `values` on the row found (or on `new`), check it, save it and audit it."""
    if found is not None and all(getattr(found, k) == v for k, v in values.items()):
        return found, "unchanged"
    before = snapshot(found) if found is not None else None
    row = found if found is not None else new
    for key, value in values.items():
        setattr(row, key, value)
    row.full_clean(validate_constraints=validate_constraints)
    row.save()
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit_write(actor=actor, action=action, instance=row, before=before, note=note)
    return row, "created" if before is None else "updated"


@transaction.atomic
def patrol_settings_update(
    *, district_id: int, values: dict[str, Any], actor: Actor, note: str = "settings page"
) -> PatrolSettings:
    """Change the district's patrol rules (windows, geofence, coverage targets…)."""
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({name: _("This setting does not exist.") for name in unknown})
    current = patrol_settings(district_id=district_id)
    found = current if current.pk else None
    row, _outcome = _upsert(found=found, new=current, values=values, actor=actor, note=note)
    return row


def bell_schedule_set(
    *, school: School, start_minute: int, end_minute: int, actor: Actor, note: str
) -> tuple[BellSchedule, Outcome]:
    """A school's regular start and end bells (created or changed)."""
    return _upsert(
        found=BellSchedule.objects.filter(school=school).first(),
        new=BellSchedule(school=school),
        values={"start_minute": start_minute, "end_minute": end_minute},
        actor=actor,
        note=note,
    )


def bell_override_set(
    *,
    district_id: int,
    school: School | None,
    day: dt.date,
    kind: str,
    shift_minutes: int,
    note: str,
    actor: Actor,
    source: str,
) -> tuple[BellOverride, Outcome]:
    """A late start, an early release or a no-school day (a school, or the whole district);
    a day already recorded for that school is replaced."""
    if school is not None and school.district_id != district_id:
        raise ValidationError({"school": _("That school is in another district.")})
    if kind != "closed" and not 1 <= shift_minutes <= 240:
        raise ValidationError(
            {"shift_minutes": _("Give the minutes the bell moves, from 1 to 240.")}
        )
    return _upsert(
        found=BellOverride.objects.filter(district_id=district_id, school=school, day=day).first(),
        new=BellOverride(district_id=district_id, school=school, day=day),
        values={"kind": kind, "shift_minutes": shift_minutes, "note": note},
        actor=actor,
        note=source,
        validate_constraints=False,
    )


@transaction.atomic
def bell_override_delete(*, override: BellOverride, actor: Actor) -> None:
    before = snapshot(override)
    audit_write(
        actor=actor, action=AuditAction.DELETE, instance=override, before=before, note="settings"
    )
    override.delete()


def district_area(district_id: int) -> tuple[float, float, float, float] | None:
    """The box of the district's schools widened by the margin (min/max lat, min/max lon)."""
    places = list(
        School.objects.filter(district_id=district_id).values_list("latitude", "longitude")
    )
    if not places:
        return None
    lats, lons = [p[0] for p in places], [p[1] for p in places]
    margin = AREA_MARGIN_DEGREES
    return min(lats) - margin, max(lats) + margin, min(lons) - margin, max(lons) + margin


def point_place_problem(
    latitude: float, longitude: float, box: tuple[float, float, float, float] | None
) -> str | None:
    """Why a point cannot be at (latitude, longitude), or None."""
    if latitude == 0 and longitude == 0:
        return _("(0, 0) is not a place in the district: the coordinates are missing")
    if box is None:
        return _("the district has no schools yet, so its area is unknown")
    if not (box[0] <= latitude <= box[1] and box[2] <= longitude <= box[3]):
        return _("(%(lat)s, %(lon)s) is outside the district's area") % {
            "lat": latitude,
            "lon": longitude,
        }
    return None


def patrol_point_save(
    *, district_id: int, name: str, values: dict[str, Any], actor: Actor, note: str
) -> tuple[PatrolPoint, Outcome]:
    """A patrol point by name (an update, not a copy): kind, place, window, risk, active."""
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if latitude is not None and longitude is not None:
        problem = point_place_problem(latitude, longitude, district_area(district_id))
        if problem:
            raise ValidationError({"latitude": problem})
    return _upsert(
        found=PatrolPoint.objects.filter(district_id=district_id, name=name).first(),
        new=PatrolPoint(district_id=district_id, name=name),
        values=values,
        actor=actor,
        note=note,
    )
