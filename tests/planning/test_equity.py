"""The equity blend: brute force on a small instance, and the trade-off it buys."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from planning.domain import InfeasibleError, Locations, School
from planning.equity import equity_curve
from planning.io.outputs import summary_dict
from planning.io.report import render_report
from planning.scenario import design
from planning.travel import HaversineTravel
from planning.zoning.planner import ZonePlanner
from planning.zoning.synthetic import synthetic_district

SCHOOLS = synthetic_district(n=9, seed=11)
TRAVEL = HaversineTravel()


def _brute_force(schools: tuple[School, ...], *, zones: int, equity: float) -> float:
    """Best blended mean over every choice of posts and every size-feasible assignment."""
    n = len(schools)
    loc = Locations.of(list(schools))
    t = TRAVEL.matrix(loc, loc)
    calls = np.array([s.calls_per_day for s in schools])
    w = (1 - equity) * calls + equity * calls.sum() / n
    best = math.inf
    for posts in itertools.combinations(range(n), zones):
        for labels in itertools.product(range(zones), repeat=n):
            if any(labels[p] != z for z, p in enumerate(posts)):
                continue
            sizes = np.bincount(labels, minlength=zones)
            if sizes.min() < 3 or sizes.max() > 5:
                continue
            cost = sum(w[j] * t[posts[labels[j]], j] for j in range(n))
            best = min(best, cost / calls.sum())
    return best


@pytest.mark.parametrize("equity", [0.0, 0.5, 1.0])
def test_the_blend_is_solved_exactly_on_a_small_instance(equity: float) -> None:
    plan = ZonePlanner(
        schools=SCHOOLS, travel=TRAVEL, aligned=False, min_size=3, max_size=5, equity=equity
    ).plan(2)
    assert plan.objective == pytest.approx(_brute_force(SCHOOLS, zones=2, equity=equity))
    assert plan.equity == equity and plan.gap == pytest.approx(0.0, abs=1e-9)


def test_every_plan_names_its_worst_served_school_and_spread() -> None:
    plan = ZonePlanner(schools=SCHOOLS, travel=TRAVEL, aligned=False, min_size=3).plan(2)
    st = plan.school_travel
    assert st is not None
    loc = Locations.of(list(SCHOOLS))
    t = TRAVEL.matrix(loc, loc)
    index = {s.id: i for i, s in enumerate(SCHOOLS)}
    minutes = {sid: t[index[z.post_id], index[sid]] for z in plan.zones for sid in z.school_ids}
    worst = max(minutes, key=lambda k: minutes[k])
    assert (st.worst_school_id, st.worst_school_minutes) == (worst, pytest.approx(minutes[worst]))
    assert st.p10_minutes <= st.school_mean_minutes <= st.worst_school_minutes
    assert st.call_weighted_minutes == pytest.approx(plan.objective)  # equity 0


def test_the_curve_trades_the_call_weighted_mean_for_the_schools_mean(
    tiny: tuple[School, ...],
) -> None:
    def plan_at(equity: float) -> object:
        return ZonePlanner(schools=tiny, travel=TRAVEL, equity=equity).plan(3)

    curve = equity_curve(plan_at=plan_at, equities=(0.0, 0.5, 1.0))  # type: ignore[arg-type]
    assert [p.equity for p in curve] == [0.0, 0.5, 1.0]
    first, last = curve[0], curve[-1]
    # each end is optimal for its own measure
    assert first.call_weighted_minutes <= last.call_weighted_minutes + 1e-9
    assert last.school_mean_minutes <= first.school_mean_minutes + 1e-9


def test_an_equity_outside_0_to_1_is_refused_with_the_option_named() -> None:
    with pytest.raises(InfeasibleError, match="--equity"):
        ZonePlanner(schools=SCHOOLS, travel=TRAVEL, aligned=False, equity=1.5)


def test_the_report_shows_the_mean_against_worst_curve() -> None:
    out = design(
        schools=SCHOOLS,
        travel=TRAVEL,
        officers=2,
        aligned=False,
        min_size=3,
        max_size=5,
        with_equity_curve=True,
    )
    assert [p.equity for p in out.equity_curve] == [0.0, 0.25, 0.5, 0.75, 1.0]
    page = render_report(out)
    assert "Mean against worst-served school (2 officers)" in page
    assert "Worst-served school:" in page
    summary = summary_dict(out)
    assert len(summary["equity_curve"]) == 5 and summary["school_travel"]["worst_school_id"]
