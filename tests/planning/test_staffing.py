"""Predicted response of plans and the staffing curve (uses planning.response)."""

from __future__ import annotations

import numpy as np
import pytest

from planning.domain import School
from planning.staffing import (
    evaluate_plan,
    fraction_within,
    percentile_minutes,
    smallest_officers,
    staffing_curve,
)
from planning.travel import HaversineTravel
from planning.zoning.planner import ZonePlanner


def test_response_of_the_jcps_30_plan(jcps: tuple[School, ...]) -> None:
    planner = ZonePlanner(schools=jcps, travel=HaversineTravel())
    plan = planner.plan(30)
    resp = evaluate_plan(plan=plan, schools=jcps, travel=planner.travel)
    assert resp.school_mean.shape == resp.school_p90.shape == (167,)
    # nobody is reached faster than dispatch + turnout (1.5 min)
    assert np.all(resp.school_mean >= 1.5 - 1e-9) and np.all(resp.school_p90 >= 1.5 - 1e-9)
    # busy officers push some calls to farther ones: the mean exceeds the plan's
    # no-queue objective (own post always free)
    assert resp.mean_minutes > plan.objective
    assert np.all((resp.school_p_busy >= 0) & (resp.school_p_busy < 1))
    assert np.all((resp.school_cross_zone >= 0) & (resp.school_cross_zone <= 1))
    # utilisation = calls x 45 min / (540 min x 30 officers)
    total = sum(s.calls_per_day for s in jcps)
    assert resp.utilisation == pytest.approx(total * 45 / 540 / 30, rel=1e-6)
    assert fraction_within(resp, resp.p90_minutes) == pytest.approx(0.9, abs=1e-3)
    p80 = percentile_minutes(resp, 80.0)
    assert p80 <= resp.p90_minutes
    # a quantile of a distribution with atoms: F(p80) >= 0.8 > F(p80 - epsilon)
    assert fraction_within(resp, p80) >= 0.8 - 1e-9
    assert fraction_within(resp, p80 - 1e-6) < 0.8


def test_smallest_officers_answers_the_target(jcps: tuple[School, ...]) -> None:
    planner = ZonePlanner(schools=jcps, travel=HaversineTravel())
    found, points, plans = smallest_officers(planner=planner, target_minutes=8.0, percentile=90)
    assert found is not None and found >= planner.minimum_officers
    assert points[0].officers == 28
    assert all(not p.meets_target for p in points if p.officers < found)
    hit = next(p for p in points if p.officers == found)
    assert hit.meets_target and hit.share_within >= 0.9
    assert found in plans
    assert points[-1].officers == found + 3


def test_unreachable_target_reports_none(tiny: tuple[School, ...]) -> None:
    planner = ZonePlanner(schools=tiny, travel=HaversineTravel())
    found, points, _ = smallest_officers(planner=planner, target_minutes=1.0)
    assert found is None
    assert [p.officers for p in points] == [3, 4]


def test_staffing_curve_skips_infeasible_counts(tiny: tuple[School, ...]) -> None:
    planner = ZonePlanner(schools=tiny, travel=HaversineTravel())
    points, plans = staffing_curve(planner=planner, officers=range(1, 7), target_minutes=10.0)
    assert [p.officers for p in points] == [3, 4] == sorted(plans)
    assert points[1].objective <= points[0].objective
