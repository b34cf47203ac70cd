"""Plans and gaps depend on neither the machine's speed nor a start-up constant."""

from __future__ import annotations

import math
import time

import pytest

from planning.domain import Plan
from planning.travel import HaversineTravel
from planning.zoning import planner as planner_module
from planning.zoning.planner import ZonePlanner
from planning.zoning.synthetic import synthetic_district


def _unaligned_plan(startup: float = 1.5) -> Plan:
    return ZonePlanner(
        schools=synthetic_district(n=90, seed=5),
        travel=HaversineTravel(startup_minutes=startup),
        aligned=False,
        seed=1,
    ).plan(20)


@pytest.fixture
def lagrangian_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send a 90-school area down the large-district path (heuristic + Lagrangian bound)."""
    monkeypatch.setattr(planner_module, "_LP_MAX", 40)


def test_a_slow_machine_gives_the_same_plan_and_gap(
    lagrangian_path: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    normal = _unaligned_plan()
    real = time.perf_counter
    calls = [0]

    def crawling() -> float:  # every reading of the clock is a minute later
        calls[0] += 1
        return real() + 60.0 * calls[0]

    monkeypatch.setattr(time, "perf_counter", crawling)
    slow = _unaligned_plan()
    assert [z.school_ids for z in slow.zones] == [z.school_ids for z in normal.zones]
    assert (slow.objective, slow.lower_bound, slow.gap) == (
        normal.objective,
        normal.lower_bound,
        normal.gap,
    )
    assert math.isfinite(normal.lower_bound) and normal.gap > 0  # a bound that did real work


def test_the_gap_is_on_travel_time_so_a_start_up_constant_leaves_it_unchanged(
    lagrangian_path: None,
) -> None:
    with_startup = _unaligned_plan(1.5)
    without = _unaligned_plan(0.0)
    assert with_startup.objective == pytest.approx(without.objective + 1.5)
    assert with_startup.lower_bound == pytest.approx(without.lower_bound + 1.5)
    assert with_startup.gap == pytest.approx(without.gap, rel=1e-9)
    travel_only = (with_startup.objective - with_startup.lower_bound) / (
        with_startup.objective - 1.5
    )
    assert with_startup.gap == pytest.approx(travel_only)
