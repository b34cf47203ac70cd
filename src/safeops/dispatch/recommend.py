"""Nearest available officer: ORM rows → NumPy arrays → the planning travel-time model.

`officer_snapshot(district_id)` loads every on-duty officer of a district into arrays
(position, zone, load, position age) and keeps them for `CACHE_SECONDS`. Writes in this process
patch the cached arrays when they commit (`note_position`, `note_loads`) or drop them
(`forget_officers`, a duty change); other processes' writes show within `CACHE_SECONDS` (their
assignments within `LOADS_SECONDS`: the counts alone are re-read in between). A
recommendation is then one vectorised `matrix(officers, [point])` call, an argsort and the
own-zone preference: microseconds, no query.

A snapshot older than `CACHE_SECONDS` is reloaded by a background thread while callers keep
using it (`settings.BACKGROUND_REFRESH`; the test settings reload inline), so no
request waits for the reload. Patches made while a load runs are replayed onto its result;
a drop (`forget_officers`) discards it.

Assignment itself never trusts the cache: it re-reads the officer row under a lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import overload

import numpy as np
from django.conf import settings as django_settings
from django.db import close_old_connections
from django.utils import timezone

from planning.domain import FloatArray, IntArray, Locations
from planning.travel import HaversineTravel, TravelTimeModel
from safeops.access import current_filter
from safeops.dispatch.choices import LapsedPolicy
from safeops.dispatch.holds import forget_offers
from safeops.dispatch.models import DispatchSettings, OfficerStatus
from safeops.staff.models import Assignment

CACHE_SECONDS = 1.0
# Between full reloads, the officers' open-request counts alone are re-read this often (one
# narrow query, in the background): another process's assignment stops being recommended
# within it.
LOADS_SECONDS = 0.25
NO_ZONE = -1

logger = logging.getLogger(__name__)

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
    loads_at: float  # when open_counts were last read in full

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
    lapsed: str = ""  # why the officer's SRO training or POPS certification lapsed ("" if not)
    held: bool = False  # offered first to another call seconds ago (ranked after the free ones)


Change = Callable[[OfficerSnapshot, int], OfficerSnapshot]

_lock = threading.Lock()
_cache: dict[int, OfficerSnapshot] = {}
_generation: dict[int, int] = {}  # bumped by every patch and drop
_dropped_at: dict[int, int] = {}  # the generation of the last drop
_patches: dict[int, list[tuple[int, int, Change]]] = {}  # (generation, person, change) during loads
_loading: dict[int, int] = {}  # loads in flight per district
_refreshing: set[int] = set()


def forget_officers(district_id: int | None = None) -> None:
    """Drop the cached snapshot (after a duty change in this process); every district's, and the
    officers held for new calls (`holds.offer_first`), when no district is named."""
    if district_id is None:
        forget_offers()
    with _lock:
        districts = {*_cache, *_loading} if district_id is None else {district_id}
        for district in districts:
            _cache.pop(district, None)
            _generation[district] = _generation.get(district, 0) + 1
            _dropped_at[district] = _generation[district]


def _apply(snapshot: OfficerSnapshot, person_id: int, change: Change) -> OfficerSnapshot:
    rows = np.flatnonzero(snapshot.person_ids == person_id)
    if rows.size == 0:  # not on duty in the snapshot: the next load brings them
        return snapshot
    return change(snapshot, int(rows[0]))


def _patch(district_id: int, person_id: int, change: Change) -> None:
    """Apply `change` to a copy of the cached snapshot (row of `person_id`) and keep the copy;
    remember it for a load in flight, which replays it (the load may have read older rows)."""
    with _lock:
        _generation[district_id] = _generation.get(district_id, 0) + 1
        if _loading.get(district_id):
            _patches.setdefault(district_id, []).append(
                (_generation[district_id], person_id, change)
            )
        cached = _cache.get(district_id)
        if cached is not None:
            _cache[district_id] = _apply(cached, person_id, change)


@overload
def _load_and_keep(district_id: int) -> OfficerSnapshot: ...
@overload
def _load_and_keep(district_id: int, *, loads_only: bool) -> OfficerSnapshot | None: ...


def _load_and_keep(district_id: int, *, loads_only: bool = False) -> OfficerSnapshot | None:
    """Load the snapshot (or, with `loads_only`, the open-request counts onto the cached one)
    and cache it, with the patches made meanwhile replayed onto it."""
    with _lock:
        started = _generation.get(district_id, 0)
        _loading[district_id] = _loading.get(district_id, 0) + 1
    try:
        loaded = _load_counts(district_id) if loads_only else _load(district_id)
    finally:
        with _lock:
            _loading[district_id] -= 1
            later = [p for p in _patches.get(district_id, []) if p[0] > started]
            if not _loading[district_id]:
                _patches.pop(district_id, None)
    with _lock:
        if isinstance(loaded, OfficerSnapshot):
            snapshot: OfficerSnapshot | None = loaded
        else:
            cached = _cache.get(district_id)
            snapshot = None if cached is None else _with_counts(cached, loaded)
        if snapshot is None:
            return None
        for _generation_of_patch, person_id, change in later:
            snapshot = _apply(snapshot, person_id, change)
        if _dropped_at.get(district_id, -1) <= started:  # no duty change raced the load
            _cache[district_id] = snapshot
    return snapshot


def _load_counts(district_id: int) -> dict[int, int]:
    return dict(
        OfficerStatus.objects.filter(district_id=district_id, on_duty=True)
        .order_by()
        .values_list("person_id", "open_request_count")
    )


def _with_counts(snapshot: OfficerSnapshot, counts: dict[int, int]) -> OfficerSnapshot:
    pairs = zip(snapshot.person_ids.tolist(), snapshot.open_counts.tolist(), strict=True)
    fresh = [counts.get(person_id, count) for person_id, count in pairs]
    return replace(
        snapshot, open_counts=np.asarray(fresh, dtype=np.int64), loads_at=time.monotonic()
    )


def _refresh_in_background(district_id: int, *, loads_only: bool) -> None:
    """Reload the district's snapshot (or its counts) in a thread of its own (one at a time per
    district)."""
    with _lock:
        if district_id in _refreshing:
            return
        _refreshing.add(district_id)

    def refresh() -> None:
        try:
            _load_and_keep(district_id, loads_only=loads_only)
        except Exception:  # the stale snapshot stays; the next call tries again
            logger.exception("Reloading the officer snapshot of district %s failed", district_id)
        finally:
            close_old_connections()
            with _lock:
                _refreshing.discard(district_id)

    threading.Thread(target=refresh, name=f"officer-snapshot-{district_id}", daemon=True).start()


def note_position(
    *, district_id: int, person_id: int, latitude: float, longitude: float, epoch: float
) -> None:
    """A committed position ping: move the officer in the cached snapshot."""

    def moved(snapshot: OfficerSnapshot, row: int) -> OfficerSnapshot:
        lat, lon = snapshot.locations.lat.copy(), snapshot.locations.lon.copy()
        lat[row], lon[row] = latitude, longitude
        has_position = snapshot.has_position.copy()
        has_position[row] = True
        position_epoch = snapshot.position_epoch.copy()
        position_epoch[row] = epoch
        locations = Locations(ids=snapshot.locations.ids, lat=lat, lon=lon)
        return replace(
            snapshot, locations=locations, has_position=has_position, position_epoch=position_epoch
        )

    _patch(district_id, person_id, moved)


def note_loads(*, district_id: int, loads: dict[int, int]) -> None:
    """Committed assignments or releases: the officers' open-request counts."""
    for person_id, count in loads.items():

        def loaded(snapshot: OfficerSnapshot, row: int, count: int = count) -> OfficerSnapshot:
            open_counts = snapshot.open_counts.copy()
            open_counts[row] = count
            return replace(snapshot, open_counts=open_counts)

        _patch(district_id, person_id, loaded)


def _load(district_id: int) -> OfficerSnapshot:
    rows = list(
        OfficerStatus.objects.filter(district_id=district_id, on_duty=True)
        .order_by("person_id")
        .values_list(
            "person_id",
            "person__full_name",
            "latitude",
            "longitude",
            "position_at",
            "open_request_count",
        )
    )
    person_ids = [row[0] for row in rows]
    zones: dict[int, tuple[int, str, float | None, float | None]] = {}
    on_duty = OfficerStatus.objects.filter(district_id=district_id, on_duty=True)
    assignments = (
        Assignment.objects.filter(
            current_filter(timezone.localdate()), person_id__in=on_duty.values("person_id")
        )
        .filter(zone__isnull=False)
        .values_list(
            "person_id",
            "zone_id",
            "zone__name",
            "zone__post_school__latitude",
            "zone__post_school__longitude",
            "zone__high_school__latitude",
            "zone__high_school__longitude",
        )
    )
    for person_id, zone_id, zone_name, post_lat, post_lon, high_lat, high_lon in assignments:
        posted = post_lat is not None and post_lon is not None
        zones[person_id] = (
            zone_id,
            zone_name,
            post_lat if posted else high_lat,
            post_lon if posted else high_lon,
        )
    lat = np.full(len(rows), np.nan)
    lon = np.full(len(rows), np.nan)
    has_position = np.zeros(len(rows), dtype=bool)
    epoch = np.full(len(rows), np.nan)
    for i, (person_id, _name, row_lat, row_lon, position_at, _load_count) in enumerate(rows):
        if row_lat is not None and row_lon is not None:
            lat[i], lon[i], has_position[i] = row_lat, row_lon, True
            if position_at is not None:
                epoch[i] = position_at.timestamp()
        else:
            _zone_id, _zone_name, base_lat, base_lon = zones.get(person_id, (0, "", None, None))
            if base_lat is not None and base_lon is not None:
                lat[i], lon[i] = base_lat, base_lon
    return OfficerSnapshot(
        person_ids=np.asarray(person_ids, dtype=np.int64),
        names=tuple(row[1] for row in rows),
        zone_ids=np.asarray([zones.get(pid, (NO_ZONE,))[0] for pid in person_ids], dtype=np.int64),
        zone_names=tuple(zones[pid][1] if pid in zones else "" for pid in person_ids),
        locations=Locations(ids=tuple(str(pid) for pid in person_ids), lat=lat, lon=lon),
        has_position=has_position,
        position_epoch=epoch,
        open_counts=np.asarray([row[5] for row in rows], dtype=np.int64),
        loaded_at=(now := time.monotonic()),
        loads_at=now,
    )


def officer_snapshot(district_id: int) -> OfficerSnapshot:
    """The district's on-duty officers: from the cache, reloaded when older than CACHE_SECONDS
    (in the background when a snapshot is at hand, so the caller does not wait), their
    open-request counts re-read every LOADS_SECONDS in between (background refresh only)."""
    with _lock:
        cached = _cache.get(district_id)
    now = time.monotonic()
    background = django_settings.BACKGROUND_REFRESH
    if cached is not None and now - cached.loaded_at < CACHE_SECONDS:
        if background and now - cached.loads_at >= LOADS_SECONDS:
            _refresh_in_background(district_id, loads_only=True)
        return cached
    if cached is not None and background:
        _refresh_in_background(district_id, loads_only=False)
        return cached
    return _load_and_keep(district_id)


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
    lapsed: Mapping[int, str] | None = None,
    in_flight: Mapping[int, int] | None = None,
    held: frozenset[int] = frozenset(),
) -> list[Candidate]:
    """Available officers by ETA to the point; the zone's own officer first when within margin.

    Available: on duty (the snapshot holds only those), below the stacking limit counting
    `in_flight` assignments (person id → how many are being made), not excluded, and located
    (by phone or by the zone's post school). Officers `held` for another request
    (`holds.offered_elsewhere`) come after the others. `lapsed` officers (person id → why) are left
    out, or, when the district allows them with a reason (`settings.lapsed_policy`), ranked last.
    """
    if len(snapshot) == 0:
        return []
    capacity = settings.max_stacked if settings.allow_stacking else 1
    counts = snapshot.open_counts
    if in_flight:  # assignments not yet committed count as one more open request each
        counts = counts.copy()
        for person_id, count in in_flight.items():
            counts[snapshot.person_ids == person_id] += count
    usable = (counts < capacity) & ~np.isnan(snapshot.locations.lat)
    lapsed_rows = (
        np.isin(snapshot.person_ids, np.fromiter(lapsed, dtype=np.int64))
        if lapsed
        else np.zeros(len(snapshot), dtype=bool)
    )
    if settings.lapsed_policy != LapsedPolicy.ALLOW_WITH_REASON:
        usable &= ~lapsed_rows  # a lapsed officer is never offered (Kentucky: certified SROs)
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
    if held:
        held_rows = np.isin(snapshot.person_ids[index[order]], np.fromiter(held, dtype=np.int64))
        order = order[np.argsort(held_rows, kind="stable")]
    # Allowed with a reason: lapsed officers come after every officer in good standing, so
    # one is never the silent first choice.
    order = order[np.argsort(lapsed_rows[index[order]], kind="stable")]
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
                lapsed=(lapsed or {}).get(int(snapshot.person_ids[i]), ""),
                held=int(snapshot.person_ids[i]) in held,
            )
        )
    return result


# --- Officer filters: other apps narrow who may be recommended (docs/roster.md) ---------------
# A filter takes (district id, now, the on-duty officers' person ids) and returns the ones it
# rules out (the roster's: off shift or on leave). Registered from the other app's
# AppConfig.ready(); dispatch knows no filter by name.
OfficerFilter = Callable[[int, dt.datetime, frozenset[int]], frozenset[int]]
_officer_filters: list[OfficerFilter] = []


def register_officer_filter(officer_filter: OfficerFilter) -> None:
    if officer_filter not in _officer_filters:
        _officer_filters.append(officer_filter)


def ruled_out(
    snapshot: OfficerSnapshot, *, district_id: int, at: dt.datetime | None = None
) -> frozenset[int]:
    """On-duty officers of the snapshot that a registered filter rules out at `at`."""
    if not _officer_filters or len(snapshot) == 0:
        return frozenset()
    at = at or timezone.now()
    on_duty = frozenset(snapshot.person_ids.tolist())
    out: set[int] = set()
    for officer_filter in _officer_filters:
        out |= officer_filter(district_id, at, on_duty)
    return frozenset(out)


# --- end of officer filters ---------------------------------------------------------------------


def eta_minutes(*, from_lat: float, from_lon: float, to_lat: float, to_lon: float) -> float:
    """One officer's ETA to one point (minutes)."""
    origin = Locations(ids=("o",), lat=np.array([from_lat]), lon=np.array([from_lon]))
    target = Locations(ids=("d",), lat=np.array([to_lat]), lon=np.array([to_lon]))
    return round(float(travel_model().matrix(origin, target)[0, 0]), 1)
