"""The single bridge between the database and the planning package.

ORM rows become `planning.domain.School` values (ids are database ids as strings); the
planning result comes back as plain JSON for storage.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from planning.demand import default_calls_per_day
from planning.domain import School as PlanSchool
from planning.io.outputs import summary_dict
from planning.scenario import design
from planning.travel import HaversineTravel
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
    equity: float = 0.0,
    with_equity_curve: bool = False,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Design zones and predict response; returns (summary JSON, staffing rows)."""
    levels = set(dedicated_levels)
    outputs = design(
        schools=schools,
        travel=HaversineTravel(),
        officers=officers,
        target_minutes=target_minutes,
        percentile=percentile,
        min_size=min_size,
        max_size=max_size,
        dedicated=[s.id for s in schools if s.level in levels],
        aligned=aligned,
        equity=equity,
        with_equity_curve=with_equity_curve,
        seed=seed,
        on_progress=progress,
        parameters={
            "min_size": min_size,
            "max_size": max_size,
            "dedicated_levels": sorted(levels),
            "aligned": aligned,
            "equity": equity,
            "seed": seed,
        },
    )
    staffing = [
        {
            "officers": p.officers,
            "mean": p.mean_minutes,
            "p90": p.p90_minutes,
            "percentile_minutes": p.percentile_minutes,
            "share_within": None if math.isnan(p.share_within) else p.share_within,
            "utilisation": p.utilisation,
            "meets_target": p.meets_target,
        }
        for p in outputs.staffing
    ]
    return summary_dict(outputs), staffing
