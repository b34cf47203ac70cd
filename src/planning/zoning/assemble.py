"""A plan's zones, assembled from the chosen solution of each area and the dedicated schools."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from planning.domain import FloatArray, IntArray, Locations, School, Zone
from planning.travel import TravelTimeModel
from planning.zoning.problem import ZoneSolution

__all__ = ["PlannedArea", "assemble_zones", "numbered"]


@dataclass(frozen=True)
class PlannedArea:
    """One area as the planner solves it: its schools (positions into the planner's schools),
    travel minutes between them, calls, the objective's weights and the range of zone counts."""

    name: str | None
    index: IntArray  # positions into the planner's schools
    minutes: FloatArray
    weight: FloatArray
    cost_weight: FloatArray
    k_min: int
    k_max: int


def assemble_zones(
    *,
    schools: Sequence[School],
    areas: Sequence[PlannedArea],
    dedicated: Collection[int],
    locations: Locations,
    travel: TravelTimeModel,
    aligned: bool,
    sols: dict[tuple[int, int], ZoneSolution],
    counts: tuple[int, ...],
    dedicated_cost_weight: Sequence[float],
) -> tuple[tuple[Zone, ...], float, FloatArray]:
    """The plan's zones from the chosen solution of each area (and the dedicated schools),
    named Z01, Z02, ... in area and post order; with their total travel under the objective's
    weights (``dedicated_cost_weight`` in ``dedicated`` order) and each school's minutes from
    its post (in ``schools`` order)."""
    raw: list[tuple[str, str, Zone]] = []
    total = 0.0
    school_minutes = np.full(len(schools), np.nan)
    for ai, k in enumerate(counts):
        area = areas[ai]
        sol = sols[(ai, k)] if aligned else next(iter(sols.values()))
        for p in np.unique(sol.post_of):
            members = np.flatnonzero(sol.post_of == p)
            t = area.minutes[p, members]
            school_minutes[area.index[members]] = t
            w = area.weight[members]
            ids = tuple(schools[int(area.index[m])].id for m in members)
            post = schools[int(area.index[p])]
            wt = float((t * w).sum())
            total += float((t * area.cost_weight[members]).sum())
            z = Zone(
                id="",
                area=area.name,
                school_ids=ids,
                post_id=post.id,
                calls_per_day=float(w.sum()),
                max_travel_minutes=float(t.max()),
                weighted_travel_minutes=wt,
            )
            raw.append((area.name or "", post.name, z))
    for i, cost_w in zip(dedicated, dedicated_cost_weight, strict=True):
        s = schools[i]
        loc = locations.take([i])
        t = float(travel.matrix(loc, loc)[0, 0])
        school_minutes[i] = t
        wt = t * s.calls_per_day
        total += t * cost_w
        home = s.resides_zone or (s.feeder_high_schools[0] if s.feeder_high_schools else None)
        z = Zone(
            id="",
            area=home if aligned else None,
            school_ids=(s.id,),
            post_id=s.id,
            calls_per_day=s.calls_per_day,
            max_travel_minutes=t,
            weighted_travel_minutes=wt,
            dedicated=True,
        )
        raw.append(("~" + (home or ""), s.name, z))
    raw.sort(key=lambda r: (r[0], r[1]))
    return numbered([z for _, _, z in raw]), total, school_minutes


def numbered(zones: Sequence[Zone]) -> tuple[Zone, ...]:
    """The zones, in the given order, named Z01, Z02, ... (three digits from 100 zones on)."""
    width = max(2, len(str(len(zones))))
    return tuple(replace(z, id=f"Z{i + 1:0{width}d}") for i, z in enumerate(zones))
