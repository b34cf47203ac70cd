"""Where a request is: each school's place and zone (a process-wide snapshot)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.conf import settings as django_settings
from django.utils import timezone

from planning.geo import great_circle_km
from safeops.access import current_filter
from safeops.core.caches import TimedCache
from safeops.schools.models import School
from safeops.zones.models import Zone, ZoneMembership

# Every school's place and zone, read by every request filed and every change to one. Loaded
# for all schools at once (a surge of first calls from a thousand schools costs one load, not a
# thousand), kept for PROCESS_CACHE_SECONDS (then reloaded behind the callers, who keep the
# previous one meanwhile), dropped in this process when a school, a zone or a zone membership is
# saved or deleted. The instances are shared: treat them as read-only.
_school_places: TimedCache[dt.date, dict[int, tuple[School, Zone | None]]] = TimedCache(
    seconds=lambda: float(django_settings.PROCESS_CACHE_SECONDS),
    refresh_in_background=lambda: bool(django_settings.BACKGROUND_REFRESH),
)


def _load_school_places(
    on: dt.date, *, school_ids: list[int] | None = None
) -> dict[int, tuple[School, Zone | None]]:
    """Every school (or those of `school_ids`) with the zone of its latest current membership."""
    schools = (
        School.objects.all() if school_ids is None else School.objects.filter(pk__in=school_ids)
    )
    places: dict[int, tuple[School, Zone | None]] = {s.pk: (s, None) for s in schools}
    memberships = ZoneMembership.objects.filter(current_filter(on)).order_by("-starts_on")
    if school_ids is not None:
        memberships = memberships.filter(school_id__in=school_ids)
    latest: dict[int, int] = {}
    for school_id, zone_id in memberships.values_list("school_id", "zone_id"):
        latest.setdefault(school_id, zone_id)
    zones = Zone.objects.in_bulk(set(latest.values()))
    for school_id, zone_id in latest.items():
        if school_id in places:
            places[school_id] = (places[school_id][0], zones.get(zone_id))
    return places


def school_place(*, school_id: int) -> tuple[School, Zone | None] | None:
    """The school and the zone serving it today (None: no such school)."""
    today = timezone.localdate()
    place = _school_places.get(today, lambda: _load_school_places(today)).get(school_id)
    if place is None:  # added since the load (by another process), or no such school
        place = _load_school_places(today, school_ids=[school_id]).get(school_id)
    return place


def load_school_places() -> None:
    """Load today's snapshot of every school's place now (a new process's warm-up)."""
    today = timezone.localdate()
    _school_places.get(today, lambda: _load_school_places(today))


def forget_school_places(**_kwargs: Any) -> None:
    """Signal receiver: a school, a zone or a zone membership changed."""
    _school_places.clear()


def zone_of_school(school: School) -> Zone | None:
    place = school_place(school_id=school.pk)
    return place[1] if place is not None else None


def nearest_school(*, district_id: int, latitude: float, longitude: float) -> School | None:
    schools = list(School.objects.filter(district_id=district_id, active=True))
    if not schools:
        return None
    km = great_circle_km(
        np.array([latitude]),
        np.array([longitude]),
        np.array([s.latitude for s in schools]),
        np.array([s.longitude for s in schools]),
    )
    return schools[int(np.argmin(km))]
