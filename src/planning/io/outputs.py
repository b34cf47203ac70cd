"""Write a plan's files: zones.geojson, assignments.csv, summary.json, staffing.csv.

Only this module and :mod:`planning.io.report` touch output files; the
algorithms return plain data (:class:`~planning.domain.Plan`,
:class:`~planning.staffing.PlanResponse`).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import MultiPoint

from planning.confirm import Confirmation
from planning.cost import (
    AnnualCost,
    UnitCosts,
    annual_cost,
    cost_per_minute_saved,
    safety_administrators,
)
from planning.domain import Plan, School
from planning.equity import EquityPoint
from planning.staffing import PlanResponse, StaffingPoint

__all__ = [
    "PlanOutputs",
    "staffing_answer",
    "summary_dict",
    "write_assignments",
    "write_staffing",
    "write_summary",
    "write_zones_geojson",
    "zone_polygons",
]

ZONE_BUFFER_KM = 0.4
"""Buffer around each zone's convex hull, so 1-2 school zones show as areas."""


@dataclass(frozen=True)
class PlanOutputs:
    """Everything written for one run."""

    plan: Plan
    schools: tuple[School, ...]
    response: PlanResponse | None
    staffing: tuple[StaffingPoint, ...] = ()
    target_minutes: float | None = None
    percentile: float = 90.0
    smallest_officers: int | None = None
    confirmation: Confirmation | None = None
    equity_curve: tuple[EquityPoint, ...] = ()
    parameters: dict[str, Any] | None = None
    unit_costs: UnitCosts = field(default_factory=UnitCosts)

    def cost_of(self, officers: int) -> AnnualCost:
        """A year's cost of ``officers`` officers, their cars and the schools' SAs."""
        return annual_cost(
            officers=officers,
            safety_administrators=safety_administrators([s.level for s in self.schools]),
            costs=self.unit_costs,
        )


def _num(x: float, nd: int = 4) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), nd)


def zone_polygons(plan: Plan, schools: Sequence[School]) -> dict[str, list[list[float]]]:
    """Zone id -> exterior ring ``[[lon, lat], ...]`` (buffered convex hull)."""
    by_id = {s.id: s for s in schools}
    lat0 = float(np.mean([s.lat for s in schools]))
    lon0 = float(np.mean([s.lon for s in schools]))
    ky = 111.195  # km per degree latitude
    kx = ky * math.cos(math.radians(lat0))

    out: dict[str, list[list[float]]] = {}
    for z in plan.zones:
        km = [((by_id[s].lon - lon0) * kx, (by_id[s].lat - lat0) * ky) for s in z.school_ids]
        shape = MultiPoint(km).convex_hull.buffer(ZONE_BUFFER_KM, quad_segs=8)
        ring = np.asarray(shape.exterior.coords)
        out[z.id] = [
            [round(float(x / kx + lon0), 6), round(float(y / ky + lat0), 6)] for x, y in ring
        ]
    return out


def _school_rows(out: PlanOutputs) -> list[dict[str, Any]]:
    plan, schools, resp = out.plan, out.schools, out.response
    index = {s.id: i for i, s in enumerate(schools)}
    rows: list[dict[str, Any]] = []
    zone_of = {sid: z for z in plan.zones for sid in z.school_ids}
    for i, s in enumerate(schools):
        z = zone_of[s.id]
        post = schools[index[z.post_id]]
        rows.append(
            {
                "school_id": s.id,
                "name": s.name,
                "level": s.level,
                "lat": s.lat,
                "lon": s.lon,
                "high_school": z.area or "",
                "zone_id": z.id,
                "post_id": z.post_id,
                "post_name": post.name,
                "is_post": s.id == z.post_id,
                "dedicated": z.dedicated,
                "calls_per_day": round(s.calls_per_day, 5),
                "response_mean_minutes": _num(resp.school_mean[i]) if resp else None,
                "response_p90_minutes": _num(resp.school_p90[i]) if resp else None,
                "p_officer_busy": _num(resp.school_p_busy[i]) if resp else None,
                "cross_zone_fraction": _num(resp.school_cross_zone[i]) if resp else None,
            }
        )
    return rows


def _travel_minutes(out: PlanOutputs) -> dict[str, float]:
    """Travel minutes from each school's post, taken from the response system."""
    if out.response is None:
        return {}
    t = out.response.system.travel_minutes
    unit = out.response.system.preference[:, 0]
    return {s.id: float(t[unit[j], j]) for j, s in enumerate(out.schools)}


ASSIGNMENT_COLUMNS = (
    "school_id",
    "name",
    "level",
    "lat",
    "lon",
    "high_school",
    "zone_id",
    "post_id",
    "post_name",
    "is_post",
    "dedicated",
    "calls_per_day",
    "travel_minutes",
    "response_mean_minutes",
    "response_p90_minutes",
    "p_officer_busy",
    "cross_zone_fraction",
)


def write_assignments(path: Path, out: PlanOutputs) -> None:
    """One row per school: zone, post, calls, travel and predicted response."""
    travel = _travel_minutes(out)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ASSIGNMENT_COLUMNS), extrasaction="ignore")
        w.writeheader()
        for row in _school_rows(out):
            row["travel_minutes"] = _num(travel.get(row["school_id"], math.nan))
            row["is_post"] = int(row["is_post"])
            row["dedicated"] = int(row["dedicated"])
            w.writerow({k: ("" if v is None else v) for k, v in row.items()})


def write_zones_geojson(path: Path, out: PlanOutputs) -> None:
    """Zone polygons, school points with their zone id, and posts."""
    plan, schools = out.plan, out.schools
    rings = zone_polygons(plan, schools)
    feats: list[dict[str, Any]] = []
    for z in plan.zones:
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [rings[z.id]]},
                "properties": {
                    "kind": "zone",
                    "zone_id": z.id,
                    "high_school": z.area,
                    "schools": len(z.school_ids),
                    "school_ids": list(z.school_ids),
                    "post_id": z.post_id,
                    "calls_per_day": _num(z.calls_per_day),
                    "max_travel_minutes": _num(z.max_travel_minutes),
                    "dedicated": z.dedicated,
                },
            }
        )
    travel = _travel_minutes(out)
    for row in _school_rows(out):
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": {
                    "kind": "school",
                    "school_id": row["school_id"],
                    "name": row["name"],
                    "level": row["level"],
                    "zone_id": row["zone_id"],
                    "is_post": row["is_post"],
                    "calls_per_day": row["calls_per_day"],
                    "travel_minutes": _num(travel.get(row["school_id"], math.nan)),
                    "response_mean_minutes": row["response_mean_minutes"],
                    "response_p90_minutes": row["response_p90_minutes"],
                },
            }
        )
    by_id = {s.id: s for s in schools}
    for z in plan.zones:
        p = by_id[z.post_id]
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {"kind": "post", "zone_id": z.id, "school_id": p.id, "name": p.name},
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")


def _cost(cost: AnnualCost) -> dict[str, float]:
    return {
        "officers": cost.officers,
        "vehicles": cost.vehicles,
        "safety_administrators": cost.safety_administrators,
        "total": cost.total,
    }


def _cost_curve(out: PlanOutputs) -> list[dict[str, Any]]:
    """Each count of the staffing curve: its cost and, against the count before it, the
    added dollars per minute of p90 response saved."""
    rows: list[dict[str, Any]] = []
    previous: StaffingPoint | None = None
    for p in out.staffing:
        total = out.cost_of(p.officers).total
        per_minute = None
        if previous is not None:
            per_minute = cost_per_minute_saved(
                cost=total,
                p90_minutes=p.p90_minutes,
                baseline_cost=out.cost_of(previous.officers).total,
                baseline_p90_minutes=previous.p90_minutes,
            )
        rows.append(
            {
                "officers": p.officers,
                "p90_minutes": _num(p.p90_minutes),
                "total": total,
                "per_minute_of_p90_saved": None if per_minute is None else round(per_minute),
            }
        )
        previous = p
    return rows


def _school_travel(plan: Plan, by_id: dict[str, School]) -> dict[str, Any] | None:
    st = plan.school_travel
    if st is None:
        return None
    return {
        "call_weighted_minutes": _num(st.call_weighted_minutes),
        "school_mean_minutes": _num(st.school_mean_minutes),
        "worst_school_id": st.worst_school_id,
        "worst_school_name": by_id[st.worst_school_id].name,
        "worst_school_minutes": _num(st.worst_school_minutes),
        "p10_minutes": _num(st.p10_minutes),
        "p90_minutes": _num(st.p90_minutes),
    }


def summary_dict(out: PlanOutputs) -> dict[str, Any]:
    """The JSON summary (see ``docs/planning.md`` for the fields)."""
    plan, resp = out.plan, out.response
    by_id = {s.id: s for s in out.schools}
    zone_resp: dict[str, float | None] = {}
    if resp is not None:
        index = {s.id: i for i, s in enumerate(out.schools)}
        for z in plan.zones:
            idx = [index[s] for s in z.school_ids]
            w = np.array([by_id[s].calls_per_day for s in z.school_ids])
            zone_resp[z.id] = _num(float(w @ resp.school_mean[idx] / w.sum()) if w.sum() else 0.0)
    data: dict[str, Any] = {
        "officers": plan.officers,
        "minimum_officers": plan.minimum_officers,
        "maximum_officers": plan.maximum_officers,
        "aligned": plan.aligned,
        "objective": _num(plan.objective, 6),
        "objective_definition": (
            "call-weighted mean minutes from post to school (start-up included), no queueing"
            if plan.equity == 0
            else f"mean minutes from post to school weighted {1 - plan.equity:g} by calls and "
            f"{plan.equity:g} by schools (start-up included), no queueing"
        ),
        "equity": plan.equity,
        "lower_bound": _num(plan.lower_bound, 6),
        "gap": _num(plan.gap, 8),
        "gap_definition": "(objective - lower bound) / (objective - start-up): on travel time",
        "school_travel": _school_travel(plan, by_id),
        "annual_cost": _cost(out.cost_of(plan.officers)),
        "cost_by_officers": _cost_curve(out),
        "equity_curve": [
            {
                "equity": p.equity,
                "call_weighted_minutes": _num(p.call_weighted_minutes),
                "school_mean_minutes": _num(p.school_mean_minutes),
                "worst_school_id": p.worst_school_id,
                "worst_school_name": by_id[p.worst_school_id].name,
                "worst_school_minutes": _num(p.worst_school_minutes),
                "p90_minutes": _num(p.p90_minutes),
            }
            for p in out.equity_curve
        ],
        "solver": plan.solver,
        "seconds": _num(plan.seconds, 3),
        "calls_per_day": _num(sum(s.calls_per_day for s in out.schools)),
        "schools": len(out.schools),
        "merges": [
            {"area": m.area, "into": m.into, "schools": m.schools, "reason": m.reason}
            for m in plan.merges
        ],
        "notes": list(plan.notes),
        "parameters": out.parameters or {},
        "zones": [
            {
                "id": z.id,
                "high_school": z.area,
                "school_ids": list(z.school_ids),
                "post": z.post_id,
                "post_name": by_id[z.post_id].name,
                "calls_per_day": _num(z.calls_per_day),
                "max_travel_minutes": _num(z.max_travel_minutes),
                "mean_travel_minutes": _num(
                    z.weighted_travel_minutes / z.calls_per_day if z.calls_per_day else 0.0
                ),
                "dedicated": z.dedicated,
                "mean_response_minutes": zone_resp.get(z.id),
            }
            for z in plan.zones
        ],
        "response": None,
    }
    if resp is not None:
        data["response"] = {
            "method": resp.method,
            "mean": _num(resp.mean_minutes),
            "p90": _num(resp.p90_minutes),
            "utilisation": _num(resp.utilisation),
            "p_all_busy": _num(resp.p_all_busy, 6),
            "by_school": [
                {
                    "id": s.id,
                    "mean": _num(resp.school_mean[j]),
                    "p90": _num(resp.school_p90[j]),
                    "p_busy": _num(resp.school_p_busy[j]),
                    "cross_zone": _num(resp.school_cross_zone[j]),
                }
                for j, s in enumerate(out.schools)
            ],
        }
    if out.target_minutes is not None:
        data["target"] = {
            "minutes": out.target_minutes,
            "percentile": out.percentile,
            "smallest_officers": out.smallest_officers,
            "answer": staffing_answer(out),
        }
        if out.confirmation is not None:
            c = out.confirmation
            data["target"]["confirmed_by"] = "simulation"
            data["target"]["model"] = c.model
            data["target"]["model_officers"] = c.model_officers
            point = c.at(out.smallest_officers) if out.smallest_officers is not None else None
            data["target"]["confirmed"] = (
                None
                if point is None
                else {
                    "share": _num(point.share, 6),
                    "low": _num(point.low, 6),
                    "high": _num(point.high, 6),
                    "replications": point.replications,
                    "calls": point.calls,
                }
            )
            data["target"]["simulation"] = [
                {
                    "officers": p.officers,
                    "share": _num(p.share, 6),
                    "low": _num(p.low, 6),
                    "high": _num(p.high, 6),
                    "replications": p.replications,
                    "calls": p.calls,
                    "meets_target": p.meets_target,
                }
                for p in c.points
            ]
    return data


def staffing_answer(out: PlanOutputs) -> str:
    """The headline: the simulation-confirmed count, the interval, and the model's own answer."""
    q = f"{out.percentile:g}% of calls within {out.target_minutes:g} minutes"
    c = out.confirmation
    if out.smallest_officers is None:
        return f"No feasible officer count reaches {q}" + (" in simulation." if c else ".")
    if c is None:
        model = out.response.method if out.response is not None else "response"
        return f"{out.smallest_officers} officers reach {q} ({model} model, not simulated)."
    p = c.at(out.smallest_officers)
    if p is None:  # the confirmed count is always simulated
        raise ValueError(f"no simulated point for {out.smallest_officers} officers")
    text = (
        f"{out.smallest_officers} officers reach {q}, confirmed by simulation: "
        f"{100 * p.share:.1f}% (95% CI {100 * p.low:.1f}-{100 * p.high:.1f}%, "
        f"{p.replications} runs of {p.calls:,} calls)."
    )
    if c.model_officers != out.smallest_officers:
        model = "none" if c.model_officers is None else str(c.model_officers)
        text += f" The {c.model} model alone would have said {model}."
    return text


def write_summary(path: Path, out: PlanOutputs) -> None:
    """``summary.json``."""
    path.write_text(json.dumps(summary_dict(out), indent=2) + "\n", encoding="utf-8")


STAFFING_COLUMNS = (
    "officers",
    "objective_minutes",
    "gap",
    "mean_response_minutes",
    "p90_response_minutes",
    "percentile_response_minutes",
    "share_within_target",
    "utilisation",
    "meets_target",
)


def write_staffing(path: Path, points: Sequence[StaffingPoint]) -> None:
    """``staffing.csv``: one row per officer count."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(STAFFING_COLUMNS)
        for p in points:
            w.writerow(
                [
                    p.officers,
                    _num(p.objective),
                    _num(p.gap, 8),
                    _num(p.mean_minutes),
                    _num(p.p90_minutes),
                    _num(p.percentile_minutes),
                    _num(p.share_within),
                    _num(p.utilisation),
                    int(p.meets_target),
                ]
            )
