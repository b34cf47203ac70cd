"""Zone plans: JCPS acceptance (issue 3, item 4), limits, dedicated, determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planning.domain import InfeasibleError, Locations, School
from planning.travel import HaversineTravel
from planning.zoning.areas import build_areas
from planning.zoning.exact import solve_exact
from planning.zoning.planner import ZonePlanner
from planning.zoning.problem import ZoneProblem
from planning.zoning.synthetic import synthetic_district


def _area_of(schools: tuple[School, ...]) -> dict[str, str]:
    areas = build_areas(schools=schools, min_size=3, max_size=7)
    return {schools[i].id: n for n, m in zip(areas.names, areas.members, strict=True) for i in m}


def test_jcps_30_officers_acceptance(jcps: tuple[School, ...]) -> None:
    plan = ZonePlanner(schools=jcps, travel=HaversineTravel()).plan(30)
    assert plan.officers == len(plan.zones) == 30
    ids = [sid for z in plan.zones for sid in z.school_ids]
    assert sorted(ids) == sorted(s.id for s in jcps)  # every school exactly once
    area_of = _area_of(jcps)
    for z in plan.zones:
        assert 3 <= len(z.school_ids) <= 7
        assert z.post_id in z.school_ids
        assert {area_of[s] for s in z.school_ids} == {z.area}  # one high school
    assert plan.minimum_officers == 28
    assert math.isfinite(plan.gap) and 0.0 <= plan.gap <= 0.005
    assert plan.lower_bound <= plan.objective + 1e-12
    assert len(plan.merges) == 7


def test_jcps_below_minimum_names_28(jcps: tuple[School, ...]) -> None:
    planner = ZonePlanner(schools=jcps, travel=HaversineTravel())
    with pytest.raises(InfeasibleError, match="at least 28 officers") as info:
        planner.plan(27)
    assert info.value.minimum == 28


def test_jcps_dedicated_alternative_schools(jcps: tuple[School, ...]) -> None:
    alt = [s.id for s in jcps if s.level == "alternative"]
    planner = ZonePlanner(schools=jcps, travel=HaversineTravel(), dedicated=alt)
    assert planner.minimum_officers == len(alt) + 27
    plan = planner.plan(planner.minimum_officers + 1)
    dedicated = [z for z in plan.zones if z.dedicated]
    assert sorted(z.school_ids[0] for z in dedicated) == sorted(alt)
    assert all(len(z.school_ids) == 1 and z.post_id == z.school_ids[0] for z in dedicated)
    assert all(3 <= len(z.school_ids) <= 7 for z in plan.zones if not z.dedicated)


def test_jcps_unaligned_is_no_worse_than_aligned(jcps: tuple[School, ...]) -> None:
    aligned = ZonePlanner(schools=jcps, travel=HaversineTravel()).plan(30)
    free = ZonePlanner(schools=jcps, travel=HaversineTravel(), aligned=False)
    assert free.minimum_officers == 24  # ceil(167 / 7)
    plan = free.plan(30)
    assert plan.objective <= aligned.objective + 1e-9
    assert all(3 <= len(z.school_ids) <= 7 for z in plan.zones)
    assert plan.gap <= 0.005


def test_more_officers_never_cost_more(tiny: tuple[School, ...]) -> None:
    planner = ZonePlanner(schools=tiny, travel=HaversineTravel())
    assert (planner.minimum_officers, planner.maximum_officers) == (3, 4)
    assert planner.plan(4).objective <= planner.plan(3).objective + 1e-12
    with pytest.raises(InfeasibleError, match="at most 4"):
        planner.plan(5)


def test_plan_matches_area_wise_exact_solutions(tiny: tuple[School, ...]) -> None:
    """The planner's optimum equals the best split of the two areas, solved directly."""
    travel = HaversineTravel()
    planner = ZonePlanner(schools=tiny, travel=travel, balance=(0.0, math.inf))
    plan = planner.plan(4)
    areas = build_areas(schools=tiny, min_size=3, max_size=7)
    cost: dict[tuple[int, int], float] = {}
    for a, members in enumerate(areas.members):
        loc = Locations.of([tiny[i] for i in members])
        w = np.array([tiny[i].calls_per_day for i in members])
        for k in (1, 2):
            p = ZoneProblem(minutes=travel.matrix(loc, loc), weight=w, zones=k, min_size=3,
                            max_size=7)  # fmt: skip
            s = solve_exact(p)
            cost[(a, k)] = s.objective if s.feasible else math.inf
    best = min(cost[(0, k0)] + cost[(1, 4 - k0)] for k0 in (1, 2) if (1, 4 - k0) in cost)
    total_w = sum(s.calls_per_day for s in tiny)
    assert plan.objective == pytest.approx(best / total_w, rel=1e-6)


def test_workload_band_binds_or_reports(tiny: tuple[School, ...]) -> None:
    loose = ZonePlanner(schools=tiny, travel=HaversineTravel(), balance=(0.0, 10.0)).plan(4)
    loads = [z.calls_per_day for z in loose.zones]
    mean = sum(loads) / 4
    tight_hi = max(loads) / mean - 0.01
    planner = ZonePlanner(schools=tiny, travel=HaversineTravel(), balance=(0.0, tight_hi))
    try:
        plan = planner.plan(4)
    except InfeasibleError as exc:
        assert "--balance" in str(exc)
    else:
        assert max(z.calls_per_day for z in plan.zones) <= tight_hi * mean + 1e-9
        assert plan.objective >= loose.objective - 1e-12


def test_plans_are_deterministic_for_a_seed() -> None:
    schools = synthetic_district(n=300, seed=4)
    a = ZonePlanner(schools=schools, travel=HaversineTravel(), seed=7, method="heuristic")
    b = ZonePlanner(schools=schools, travel=HaversineTravel(), seed=7, method="heuristic")
    k = a.minimum_officers + 5
    assert a.plan(k).zones == b.plan(k).zones


@pytest.mark.slow
def test_synthetic_1000_meets_the_gap_goal() -> None:
    schools = synthetic_district(n=1000, seed=1)
    planner = ZonePlanner(schools=schools, travel=HaversineTravel())
    plan = planner.plan(200)
    assert plan.gap <= 0.01
    assert sum(len(z.school_ids) for z in plan.zones) == 1000
    assert all(3 <= len(z.school_ids) <= 7 for z in plan.zones)
