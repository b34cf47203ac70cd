"""predictability: 1 for a repeated plan, lower for randomised plans; the checker itself."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from planning.patrol import (
    DayPlan,
    Officer,
    Route,
    Site,
    TimeWindow,
    Visit,
    nearest_neighbour_plan,
    plan_day,
    predictability,
)
from tests.planning.patrol.checks import check_plan

DAY = date(2026, 3, 2)


def _district() -> tuple[list[Officer], list[Site]]:
    sites = [
        Site(
            f"S{i}",
            f"S{i}",
            38.2 + 0.01 * i,
            -85.7 - 0.01 * (i % 2),
            "school",
            (TimeWindow(440, 480, "arrival"), TimeWindow(840, 880, "dismissal")),
        )
        for i in range(5)
    ]
    return [Officer("A", 38.2, -85.7, 420, 900, tuple(s.id for s in sites))], sites


def _plan(visits: list[tuple[str, int]], day: date) -> DayPlan:
    vs = tuple(Visit(s, t, t + 10, None) for s, t in visits)
    return DayPlan(day, 0, {"A": Route("A", vs, 0.0, vs[-1].depart)}, (), 0, 0)


def test_measure_by_hand() -> None:
    past = [
        _plan([("X", 450), ("Y", 600)], DAY),
        _plan([("X", 460), ("Y", 700)], DAY + timedelta(1)),
    ]
    today = _plan([("X", 452), ("Y", 900)], DAY + timedelta(2))
    # X: past bins {30, 30} -> mass 1 on bin 30; Y: bins {40, 46}, today bin 60 -> 0
    assert predictability(history=past, day_plan=today) == pytest.approx(0.5)
    assert predictability(history=past, day_plan=today, bin_minutes=60) == pytest.approx(0.5)
    assert predictability(history=[], day_plan=today) == 0.0
    assert predictability(history=[today], day_plan=today) == 0.0  # only earlier days count


def test_baseline_is_fully_predictable_and_plans_are_not() -> None:
    officers, sites = _district()
    days = [DAY + timedelta(days=k) for k in range(29)]
    base = [nearest_neighbour_plan(day=d, officers=officers, sites=sites) for d in days]
    assert predictability(history=base[:-1], day_plan=base[-1]) == 1.0
    plans: list[DayPlan] = []
    for d in days:
        plans.append(plan_day(day=d, officers=officers, sites=sites, seed=7, history=plans[-28:]))
    check_plan(plans[-1], officers, sites)
    assert predictability(history=plans[:-1], day_plan=plans[-1]) < 0.6


def test_checker_rejects_a_broken_route() -> None:
    officers, sites = _district()
    plan = plan_day(day=DAY, officers=officers, sites=sites, seed=1)
    route = plan.routes["A"]
    v = route.visits[1]
    early = dataclasses.replace(
        v, arrive=route.visits[0].depart, depart=route.visits[0].depart + 10
    )
    broken = dataclasses.replace(route, visits=(route.visits[0], early, *route.visits[2:]))
    with pytest.raises(AssertionError):
        check_plan(dataclasses.replace(plan, routes={"A": broken}), officers, sites)
    late = dataclasses.replace(route.visits[-1], depart=901)
    overtime = dataclasses.replace(route, visits=(*route.visits[:-1], late), end_minute=901)
    with pytest.raises(AssertionError):
        check_plan(dataclasses.replace(plan, routes={"A": overtime}), officers, sites)
