"""Nearest available officer: ORM rows → NumPy arrays → the planning travel-time model.

`officer_snapshot(district_id)` loads every on-duty officer of a district once into arrays
(position, zone, load, position age) and caches them briefly; writes in this process drop the
cache at once (`forget_officers`), other processes' writes show within `CACHE_SECONDS`. A
recommendation is then one vectorised `matrix(officers, [point])` call, an argsort and the
own-zone preference: microseconds, no query.

Assignment itself never trusts the cache: it re-reads the officer row under a lock.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from planning.domain import FloatArray, IntArray, Locations
from planning.travel import HaversineTravel, TravelTimeModel
from safeops.access import current_filter
from safeops.dispatch.models import DispatchSettings, OfficerStatus
from safeops.staff.models import Assignment

CACHE_SECONDS = 1.0
NO_ZONE = -1

_TRAVEL: TravelTimeModel = HaversineTravel()


def travel_model() -> TravelTimeModel:
    """The travel-time model ETAs use (planning.travel's default)."""
    return _TRAVEL


@dataclass(frozen=True)
class OfficerSnapshot:
    """On-duty officers of one district, as arrays in one order."""

    person_ids: IntArray
    names: tuple[str, ...]
    zone_ids: IntArray
    zone_names: tuple[str, ...]
    locations: Locations
    has_position: np.ndarray  # bool: a phone position (else the zone's post school)
    position_epoch: FloatArray  # seconds since the epoch; NaN without a position
    open_counts: IntArray
    loaded_at: float

    def __len__(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class Candidate:
    officer_id: int
    name: str
    zone_id: int | None
    zone_name: str
    eta_minutes: float
    stale: bool
    has_position: bool
    position_age_seconds: float | None
    own_zone: bool
    open_requests: int
    rank: int


_lock = threading.Lock()
_cache: dict[int, OfficerSnapshot] = {}
_generation: dict[int, int] = {}


def forget_officers(district_id: int | None = None) -> None:
    """Drop the cached snapshot (after a duty, position or load change in this process)."""
    with _lock:
        if district_id is None:
            _cache.clear()
        else:
            _cache.pop(district_id, None)
            _generation[district_id] = _generation.get(district_id, 0) + 1


def _load(district_id: int) -> OfficerSnapshot:
    rows = list(
        OfficerStatus.objects.filter(district_id=district_id, on_duty=True)
        .select_related("person")
        .order_by("person_id")
    )
    person_ids = [row.person_id for row in rows]
    zones: dict[int, tuple[int, str, float | None, float | None]] = {}
    assignments = (
        Assignment.objects.filter(current_filter(timezone.localdate()), person_id__in=person_ids)
        .filter(zone__isnull=False)
        .select_related("zone__post_school", "zone__high_school")
    )
    for assignment in assignments:
        zone = assignment.zone
        if zone is None:  # excluded by the filter; keeps the type checker sure
            continue
        post = zone.post_school or zone.high_school
        zones[assignment.person_id] = (
            zone.pk,
            zone.name,
            post.latitude if post else None,
            post.longitude if post else None,
        )
    lat = np.full(len(rows), np.nan)
    lon = np.full(len(rows), np.nan)
    has_position = np.zeros(len(rows), dtype=bool)
    epoch = np.full(len(rows), np.nan)
    for i, row in enumerate(rows):
        if row.latitude is not None and row.longitude is not None:
            lat[i], lon[i], has_position[i] = row.latitude, row.longitude, True
            if row.position_at is not None:
                epoch[i] = row.position_at.timestamp()
        else:
            _zone_id, _name, post_lat, post_lon = zones.get(row.person_id, (0, "", None, None))
            if post_lat is not None and post_lon is not None:
                lat[i], lon[i] = post_lat, post_lon
    return OfficerSnapshot(
        person_ids=np.asarray(person_ids, dtype=np.int64),
        names=tuple(row.person.full_name for row in rows),
        zone_ids=np.asarray([zones.get(pid, (NO_ZONE,))[0] for pid in person_ids], dtype=np.int64),
        zone_names=tuple(zones[pid][1] if pid in zones else "" for pid in person_ids),
        locations=Locations(ids=tuple(str(pid) for pid in person_ids), lat=lat, lon=lon),
        has_position=has_position,
        position_epoch=epoch,
        open_counts=np.asarray([row.open_request_count for row in rows], dtype=np.int64),
        loaded_at=time.monotonic(),
    )


def officer_snapshot(district_id: int) -> OfficerSnapshot:
    """The district's on-duty officers, from the cache when fresh."""
    with _lock:
        cached = _cache.get(district_id)
        generation = _generation.get(district_id, 0)
    if cached is not None and time.monotonic() - cached.loaded_at < CACHE_SECONDS:
        return cached
    snapshot = _load(district_id)
    with _lock:
        if _generation.get(district_id, 0) == generation:  # no write raced the load
            _cache[district_id] = snapshot
    return snapshot


def rank_officers(
    snapshot: OfficerSnapshot,
    *,
    latitude: float,
    longitude: float,
    zone_id: int | None,
    settings: DispatchSettings,
    exclude: frozenset[int] = frozenset(),
    now_epoch: float | None = None,
    limit: int | None = 10,
) -> list[Candidate]:
    """Available officers by ETA to the point; the zone's own officer first when within margin.

    Available: on duty (the snapshot holds only those), below the stacking limit, not excluded,
    and located (by phone or by the zone's post school).
    """
    if len(snapshot) == 0:
        return []
    capacity = settings.max_stacked if settings.allow_stacking else 1
    usable = (snapshot.open_counts < capacity) & ~np.isnan(snapshot.locations.lat)
    if exclude:
        usable &= ~np.isin(snapshot.person_ids, np.fromiter(exclude, dtype=np.int64))
    index = np.flatnonzero(usable)
    if index.size == 0:
        return []
    point = Locations(
        ids=("request",), lat=np.array([latitude], dtype=np.float64), lon=np.array([longitude])
    )
    eta = travel_model().matrix(snapshot.locations.take(index), point)[:, 0]
    order = np.argsort(eta, kind="stable")
    if zone_id is not None:
        own = snapshot.zone_ids[index[order]] == zone_id
        within = eta[order] <= eta[order[0]] + settings.own_zone_margin_minutes
        preferred = np.flatnonzero(own & within)
        if preferred.size and preferred[0] != 0:
            first = preferred[0]
            order = np.concatenate(([order[first]], np.delete(order, first)))
    if limit is not None:
        order = order[:limit]
    now = time.time() if now_epoch is None else now_epoch
    result = []
    for rank, k in enumerate(order.tolist(), start=1):
        i = int(index[k])
        epoch = snapshot.position_epoch[i]
        age = None if np.isnan(epoch) else max(0.0, now - float(epoch))
        has_position = bool(snapshot.has_position[i])
        zone = int(snapshot.zone_ids[i])
        result.append(
            Candidate(
                officer_id=int(snapshot.person_ids[i]),
                name=snapshot.names[i],
                zone_id=None if zone == NO_ZONE else zone,
                zone_name=snapshot.zone_names[i],
                eta_minutes=round(float(eta[k]), 1),
                stale=(not has_position) or age is None or age > settings.stale_position_seconds,
                has_position=has_position,
                position_age_seconds=None if age is None else round(age),
                own_zone=zone_id is not None and zone == zone_id,
                open_requests=int(snapshot.open_counts[i]),
                rank=rank,
            )
        )
    return result


def eta_minutes(*, from_lat: float, from_lon: float, to_lat: float, to_lon: float) -> float:
    """One officer's ETA to one point (minutes)."""
    origin = Locations(ids=("o",), lat=np.array([from_lat]), lon=np.array([from_lon]))
    target = Locations(ids=("d",), lat=np.array([to_lat]), lon=np.array([to_lon]))
    return round(float(travel_model().matrix(origin, target)[0, 0]), 1)
