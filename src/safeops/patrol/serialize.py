"""The JSON shape of a plan and its stops (the API and the phone page's first paint)."""

from __future__ import annotations

from typing import Any

from safeops.patrol.choices import WINDOW_LABELS
from safeops.patrol.models import PatrolPlan, PlannedVisit, minute_label

DIRECTIONS_URL = "https://www.google.com/maps/dir/?api=1&destination={lat},{lon}"


def visit_payload(visit: PlannedVisit) -> dict[str, Any]:
    place = visit.place
    return {
        "id": visit.pk,
        "position": visit.position,
        "place": str(place),
        "kind": "school" if visit.school_id else "point",
        "latitude": place.latitude,
        "longitude": place.longitude,
        "arrive": minute_label(visit.arrive_minute),
        "depart": minute_label(visit.depart_minute),
        "window": visit.window_label,
        "window_label": str(WINDOW_LABELS.get(visit.window_label, "")),
        "status": visit.status,
        "distance_m": visit.distance_m,
        "within_geofence": visit.within_geofence,
        "skip_reason": visit.skip_reason,
        "directions_url": DIRECTIONS_URL.format(lat=place.latitude, lon=place.longitude),
    }


def plan_payload(plan: PatrolPlan, visits: list[PlannedVisit]) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "day": plan.day.isoformat(),
        "officer": plan.person.full_name,
        "revision": plan.revision,
        "shift_start": minute_label(plan.shift_start),
        "shift_end": minute_label(plan.shift_end),
        "windows_targeted": plan.windows_targeted,
        "windows_covered": plan.windows_covered,
        "visits": [visit_payload(v) for v in visits],
    }
