"""Default calls per day: documented rates, JCPS calibration to ~90 runs/day."""

from __future__ import annotations

import pytest

from planning.demand import (
    CALLS_PER_1000_STUDENTS,
    JCPS_RUNS_PER_DAY,
    MIN_CALLS_PER_DAY,
    calibrate,
    default_calls_per_day,
)
from planning.domain import School


def test_secondary_schools_get_more_calls_per_student() -> None:
    elem = default_calls_per_day(level="elementary", enrollment=1000)
    assert default_calls_per_day(level="middle", enrollment=1000) > 5 * elem
    assert default_calls_per_day(level="high", enrollment=1000) > 3 * elem
    assert default_calls_per_day(level="special_program", enrollment=3) == MIN_CALLS_PER_DAY
    assert default_calls_per_day(level="unknown", enrollment=None) == pytest.approx(0.5)


def test_jcps_total_is_about_90_runs_per_day(jcps: tuple[School, ...]) -> None:
    total = sum(s.calls_per_day for s in jcps)
    assert total == pytest.approx(JCPS_RUNS_PER_DAY, rel=0.02)


def test_calibration_reproduces_the_table(jcps: tuple[School, ...]) -> None:
    rates = calibrate(schools=((s.level, s.enrollment) for s in jcps), runs_per_day=90.0)
    for level, rate in CALLS_PER_1000_STUDENTS.items():
        assert rates[level] == pytest.approx(rate, abs=0.006)
