"""The single bridge between the database and the planning package.

ORM rows become `planning.domain.School` values (ids are database ids as strings); the
planning result comes back as plain JSON for storage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from planning.demand import default_calls_per_day
from planning.domain import School as PlanSchool
from planning.io.outputs import PlanOutputs, summary_dict
from planning.staffing import evaluate_plan, smallest_officers, staffing_curve
from planning.travel import HaversineTravel
from planning.zoning.planner import ZonePlanner
from safeops.schools.models import District, School

Progress = Callable[[float, str], None]


def planning_schools(*, district: District) -> tuple[PlanSchool, ...]:
    """The district's active schools as planning inputs."""
    rows = (
        School.objects.filter(district=district, active=True)
        .select_related("feeder_high_school", "resides_high_school")
        .prefetch_related("other_feeder_high_schools")
        .order_by("pk")
    )
    schools = []
    for row in rows:
        feeders: list[str] = []
        if row.feeder_high_school is not None:
            feeders.append(row.feeder_high_school.name)
        feeders += sorted(s.name for s in row.other_feeder_high_schools.all())
        schools.append(
            PlanSchool(
                id=str(row.pk),
                name=row.name,
                level=row.level,
                lat=row.latitude,
                lon=row.longitude,
                calls_per_day=default_calls_per_day(level=row.level, enrollment=row.enrollment),
                enrollment=row.enrollment,
                feeder_high_schools=tuple(feeders),
                resides_zone=row.resides_high_school.name if row.resides_high_school else None,
            )
        )
    return tuple(schools)


def run_plan(
    *,
    schools: tuple[PlanSchool, ...],
    officers: int | None,
    target_minutes: float | None,
    percentile: float,
    min_size: int,
    max_size: int,
    dedicated_levels: list[str],
    aligned: bool,
    seed: int,
    progress: Progress,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Design zones and predict response; returns (summary JSON, staffing rows)."""
    travel = HaversineTravel()
    dedicated = [s.id for s in schools if s.level in set(dedicated_levels)]
    progress(0.05, "Building high-school areas")
    planner = ZonePlanner(
        schools=schools,
        travel=travel,
        min_size=min_size,
        max_size=max_size,
        dedicated=dedicated,
        aligned=aligned,
        seed=seed,
    )
    found: int | None = None
    if target_minutes is not None:
        progress(0.15, "Searching the smallest officer count that meets the target")
        found, points, plans = smallest_officers(
            planner=planner, target_minutes=target_minutes, percentile=percentile
        )
        k = found if found is not None else max(plans)
        plan, response = plans[k]
    else:
        if officers is None:
            raise ValueError("Give an officer count or a target.")
        progress(0.15, f"Designing zones for {officers} officers")
        plan = planner.plan(officers)
        progress(0.6, "Predicting response times")
        response = evaluate_plan(plan=plan, schools=planner.schools, travel=travel, seed=seed)
        progress(0.75, "Computing the staffing curve")
        around = range(
            max(planner.minimum_officers, officers - 2),
            min(planner.maximum_officers, officers + 2) + 1,
        )
        points, _ = staffing_curve(planner=planner, officers=around, percentile=percentile)
    outputs = PlanOutputs(
        plan=plan,
        schools=planner.schools,
        response=response,
        staffing=points,
        target_minutes=target_minutes,
        percentile=percentile,
        smallest_officers=found,
        parameters={
            "min_size": min_size,
            "max_size": max_size,
            "dedicated_levels": dedicated_levels,
            "aligned": aligned,
            "seed": seed,
        },
    )
    staffing = [
        {
            "officers": p.officers,
            "mean": p.mean_minutes,
            "p90": p.p90_minutes,
            "percentile_minutes": p.percentile_minutes,
            "share_within": None if p.share_within != p.share_within else p.share_within,
            "utilisation": p.utilisation,
            "meets_target": p.meets_target,
        }
        for p in points
    ]
    progress(0.95, "Saving")
    return summary_dict(outputs), staffing
