"""The report statistics against hand-computed figures (the arithmetic is in the comments)."""

from __future__ import annotations

import math

import pytest

from safeops.reports.statistics import percentile, rate_per_1000, relative_rate_index


def test_rate_per_1000_enrolled() -> None:
    # 12 events among 800 enrolled: 12 * 1000 / 800 = 15.0
    assert rate_per_1000(12, 800) == pytest.approx(15.0)
    # 1 of 3 enrolled: 1000 / 3 = 333.33...
    assert rate_per_1000(1, 3) == pytest.approx(333.3333, abs=1e-4)
    assert rate_per_1000(0, 500) == 0


def test_rate_is_undefined_without_enrollment_and_refuses_negatives() -> None:
    assert rate_per_1000(3, 0) is None
    with pytest.raises(ValueError, match="negative"):
        rate_per_1000(-1, 10)


def test_relative_rate_index_with_a_log_method_interval() -> None:
    # group: a = 30 events of n1 = 200 -> rate 0.15; reference: c = 40 of n2 = 800 -> 0.05.
    # RRI = 0.15 / 0.05 = 3.0
    # SE(ln RRI) = sqrt(1/30 - 1/200 + 1/40 - 1/800)
    #            = sqrt(0.0333333 - 0.005 + 0.025 - 0.00125) = sqrt(0.0520833) = 0.2282177
    # CI = 3.0 * exp(-/+ 1.959964 * 0.2282177) = 3.0 * exp(-/+ 0.4472986)
    #    = 3.0 * 0.6393 .. 3.0 * 1.5641 = 1.9180 .. 4.6924
    rri = relative_rate_index(a=30, n1=200, c=40, n2=800)
    assert rri is not None
    assert rri.index == pytest.approx(3.0)
    assert rri.low == pytest.approx(1.9180, abs=5e-4)
    assert rri.high == pytest.approx(4.6924, abs=5e-4)
    assert rri.significant


def test_an_interval_that_spans_one_is_not_significant() -> None:
    # a = 5 of 100 (0.05) against c = 10 of 250 (0.04): RRI = 1.25
    # SE = sqrt(1/5 - 1/100 + 1/10 - 1/250) = sqrt(0.2 - 0.01 + 0.1 - 0.004) = sqrt(0.286)
    #    = 0.5347897; exp(1.959964 * 0.5347897) = exp(1.0481683) = 2.85238
    # CI = 1.25 / 2.85238 .. 1.25 * 2.85238 = 0.43823 .. 3.56548
    rri = relative_rate_index(a=5, n1=100, c=10, n2=250)
    assert rri is not None
    assert rri.index == pytest.approx(1.25)
    assert rri.low == pytest.approx(0.43823, abs=5e-5)
    assert rri.high == pytest.approx(3.56548, abs=5e-5)
    assert not rri.significant
    # the interval is symmetric on the log scale around ln(RRI)
    assert math.log(rri.high) - math.log(rri.index) == pytest.approx(
        math.log(rri.index) - math.log(rri.low)
    )


def test_relative_rate_index_undefined_with_a_zero_rate_and_refuses_impossible_counts() -> None:
    assert relative_rate_index(a=0, n1=100, c=10, n2=200) is None
    assert relative_rate_index(a=4, n1=100, c=0, n2=200) is None
    with pytest.raises(ValueError, match="exceed"):
        relative_rate_index(a=101, n1=100, c=1, n2=10)


def test_nearest_rank_percentiles() -> None:
    minutes = [12, 3, 7, 30, 5, 9, 4, 8, 6, 10]
    # sorted: 3 4 5 6 7 8 9 10 12 30 (n = 10)
    # p50: rank ceil(0.5 * 10) = 5 -> 7;  p90: rank ceil(0.9 * 10) = 9 -> 12
    assert percentile(minutes, 50) == 7
    assert percentile(minutes, 90) == 12
    # n = 3, sorted 2 4 9: p50 rank ceil(1.5) = 2 -> 4; p90 rank ceil(2.7) = 3 -> 9
    assert percentile([9, 2, 4], 50) == 4
    assert percentile([9, 2, 4], 90) == 9
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1], 0)
