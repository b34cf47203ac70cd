"""Annual cost and cost per minute of p90 response saved, checked by hand."""

from __future__ import annotations

import itertools

import pytest

from planning.cost import UnitCosts, annual_cost, cost_per_minute_saved
from planning.domain import InputError, School
from planning.io.outputs import summary_dict
from planning.io.report import render_report
from planning.scenario import design
from planning.travel import HaversineTravel


def test_the_defaults_reproduce_the_jcps_2022_plan() -> None:
    # 30 SSOs x (118,000 + 15,000) = 3,990,000; 66 SAs x 50,000 = 3,300,000; total 7,290,000,
    # within the approved plan's $7.2-7.3M.
    cost = annual_cost(officers=30, safety_administrators=66)
    assert cost.officers == 3_540_000
    assert cost.vehicles == 450_000
    assert cost.safety_administrators == 3_300_000
    assert cost.total == 7_290_000


def test_district_unit_costs_and_shared_vehicles() -> None:
    costs = UnitCosts(officer=100_000, vehicle=10_000, safety_administrator=60_000)
    cost = annual_cost(officers=4, safety_administrators=2, costs=costs, vehicles=3)
    assert (cost.officers, cost.vehicles, cost.safety_administrators) == (400_000, 30_000, 120_000)


def test_cost_per_minute_saved() -> None:
    # 33 officers: $4,389,000, p90 8.0 min; 30 officers: $3,990,000, p90 9.5 min.
    # (4,389,000 - 3,990,000) / (9.5 - 8.0) = 399,000 / 1.5 = 266,000 dollars a minute.
    assert cost_per_minute_saved(
        cost=4_389_000, p90_minutes=8.0, baseline_cost=3_990_000, baseline_p90_minutes=9.5
    ) == pytest.approx(266_000)
    assert (
        cost_per_minute_saved(
            cost=4_389_000, p90_minutes=9.5, baseline_cost=3_990_000, baseline_p90_minutes=9.5
        )
        is None
    )


def test_negative_costs_are_refused_by_name() -> None:
    with pytest.raises(InputError, match="vehicle cost must be 0 or more"):
        UnitCosts(vehicle=-1)


def test_the_plan_summary_and_report_carry_the_cost_and_cost_per_minute_saved(
    tiny: tuple[School, ...],
) -> None:
    out = design(schools=tiny, travel=HaversineTravel(), officers=3)
    sas = sum(1 for s in tiny if s.level in ("middle", "high", "combined"))
    summary = summary_dict(out)
    assert summary["annual_cost"]["total"] == 3 * (118_000 + 15_000) + sas * 50_000
    rows = summary["cost_by_officers"]
    assert [r["officers"] for r in rows] == [p.officers for p in out.staffing]
    for before, after in itertools.pairwise(rows):
        saved = before["p90_minutes"] - after["p90_minutes"]
        if saved <= 0:
            assert after["per_minute_of_p90_saved"] is None
        else:
            assert after["per_minute_of_p90_saved"] == pytest.approx(133_000 / saved, rel=0.01)
    assert "Cost per minute of p90 response saved" in render_report(out)
