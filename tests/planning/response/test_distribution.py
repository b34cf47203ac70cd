"""Quantiles of point-mass + shifted-exponential mixtures (response-time p90)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.response import evaluate
from planning.response.distribution import mixture_quantile
from planning.response.examples import larson_odoni_example, random_system


def brute_cdf(x: float, t: np.ndarray, w: np.ndarray, v: np.ndarray, rate: float) -> float:
    """F(x) term by term, independent of the implementation."""
    total = 0.0
    for tm, wm, vm in zip(t, w, v, strict=True):
        if x >= tm:
            total += wm + vm * (1.0 - math.exp(-rate * (x - tm)))
    return total


@st.composite
def mixtures(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    size = draw(st.integers(1, 8))
    t = np.array(
        draw(
            st.lists(
                st.sampled_from([0.0, 1.0, 2.5, 4.0, 7.0]) | st.floats(0, 50),
                min_size=size,
                max_size=size,
            )
        )
    )
    raw = np.array(draw(st.lists(st.floats(0, 1), min_size=2 * size, max_size=2 * size)))
    if raw.sum() < 1e-3:
        raw = raw + 0.5
    raw = raw / raw.sum()
    rate = draw(st.floats(0.01, 20.0))
    q = draw(st.floats(0.01, 0.99))
    return t, raw[:size], raw[size:], rate, q


@settings(max_examples=300, deadline=None)
@given(mix=mixtures())
def test_quantile_is_the_smallest_x_with_cdf_at_least_q(
    mix: tuple[np.ndarray, np.ndarray, np.ndarray, float, float],
) -> None:
    t, w, v, rate, q = mix
    x = float(mixture_quantile(points=t, point_weight=w, exp_weight=v, rate=rate, q=q))
    tol = 1e-9
    assert brute_cdf(x + tol * max(1.0, x), t, w, v, rate) >= q - 1e-9
    below = x - 1e-7 * max(1.0, x)
    assert brute_cdf(below, t, w, v, rate) < q + 1e-9


def test_pure_exponential_and_pure_points() -> None:
    x = mixture_quantile(points=[3.0], point_weight=[0.0], exp_weight=[1.0], rate=0.5, q=0.9)
    assert float(x) == pytest.approx(3.0 + math.log(10.0) / 0.5)
    points = np.array([5.0, 1.0, 3.0, 2.0])
    x = mixture_quantile(
        points=points, point_weight=np.full(4, 0.25), exp_weight=np.zeros(4), rate=1.0, q=0.5
    )
    assert float(x) == 2.0  # inverted CDF: the 2nd smallest of 4 equally likely values
    assert float(np.quantile(points, 0.5, method="inverted_cdf")) == 2.0


def test_rows_are_independent_and_row_constant_weights_broadcast() -> None:
    t = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    w = np.array([[0.3, 0.3, 0.2], [0.2, 0.3, 0.3]])
    x = mixture_quantile(
        points=t, point_weight=w, exp_weight=np.full((2, 1), 0.2 / 3), rate=2.0, q=0.9
    )
    full = mixture_quantile(
        points=t, point_weight=w, exp_weight=np.full((2, 3), 0.2 / 3), rate=2.0, q=0.9
    )
    np.testing.assert_allclose(x, full)
    assert x[0] == pytest.approx(x[1])


def test_large_rate_times_travel_does_not_overflow() -> None:
    """exp(theta * t) would overflow for theta * t > 709; the log-space sum does not."""
    x = mixture_quantile(
        points=[800.0, 900.0], point_weight=[0.5, 0.3], exp_weight=[0.1, 0.1], rate=5.0, q=0.95
    )
    assert np.isfinite(x) and 900.0 <= float(x) < 901.0


def test_book_example_p90_is_in_the_waiting_tail() -> None:
    """With P(wait) = 0.237 > 0.1, the 90th percentile lies beyond every travel time."""
    result = evaluate(larson_odoni_example())
    assert np.all(result.p90_response_minutes > larson_odoni_example().travel_minutes.max())
    # Beyond every travel time all four atoms have the same tail, hence one p90.
    assert result.p90_response_overall == pytest.approx(result.p90_response_minutes[0])


def test_overall_p90_lies_between_atom_p90s() -> None:
    result = evaluate(random_system(n_units=6, n_atoms=30, utilisation=0.5, seed=4))
    assert result.p90_response_minutes.min() <= result.p90_response_overall
    assert result.p90_response_overall <= result.p90_response_minutes.max()
