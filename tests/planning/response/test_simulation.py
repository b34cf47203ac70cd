"""Discrete-event simulation: reproducible, and in agreement with the analytic models."""

from __future__ import annotations

import numpy as np
import pytest

from planning.response import ResponseSystem, evaluate, simulate
from planning.response.examples import larson_odoni_example, random_system
from planning.response.simulation import simulate_calls


def test_same_seed_gives_identical_result() -> None:
    system = random_system(n_units=5, n_atoms=20, utilisation=0.6, seed=3)
    a = simulate(system, seed=42, n_calls=20_000)
    b = simulate(system, seed=42, n_calls=20_000)
    c = simulate(system, seed=43, n_calls=20_000)
    for field in ("workload", "dispatch_fraction", "mean_response_minutes", "p90_response_minutes"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert a.mean_response_overall == b.mean_response_overall
    assert a.mean_response_overall != c.mean_response_overall


def test_generator_seed_advances_the_callers_stream() -> None:
    system = random_system(n_units=3, n_atoms=6, utilisation=0.5, seed=1)
    rng = np.random.default_rng(5)
    first = simulate(system, seed=rng, n_calls=5_000)
    second = simulate(system, seed=rng, n_calls=5_000)
    assert first.mean_response_overall != second.mean_response_overall


def test_book_example_exact_values_inside_simulation_ci() -> None:
    """Larson & Odoni (1981) §5.4.3 example: exact mean response inside the 95% CI."""
    system = larson_odoni_example()
    exact = evaluate(system, method="exact")
    sim = evaluate(system, method="simulation", seed=0, n_calls=300_000)
    assert sim.ci95_mean_response is not None and sim.ci95_mean_response > 0
    assert abs(sim.mean_response_overall - exact.mean_response_overall) <= sim.ci95_mean_response
    np.testing.assert_allclose(sim.workload, exact.workload, atol=0.005)
    np.testing.assert_allclose(sim.dispatch_fraction, exact.dispatch_fraction, atol=0.006)
    assert sim.p_all_busy == pytest.approx(exact.p_all_busy, abs=0.006)
    np.testing.assert_allclose(sim.p90_response_minutes, exact.p90_response_minutes, rtol=0.03)


def test_every_call_is_served_once_in_order() -> None:
    system = random_system(n_units=4, n_atoms=10, utilisation=0.9, seed=2)
    log = simulate_calls(system, n_calls=30_000, seed=1)
    # Arrivals plus completions; calls still in service at the end never complete.
    assert 2 * 30_000 - system.n_units <= log.events <= 2 * 30_000
    assert np.all(log.start >= log.arrival)
    assert np.all(np.diff(log.arrival) > 0)
    # A unit never serves two calls at once.
    for unit in range(system.n_units):
        mine = log.unit == unit
        start, end = log.start[mine], log.start[mine] + log.busy[mine]
        order = np.argsort(start)
        assert np.all(start[order][1:] >= end[order][:-1] - 1e-9)
    # Nobody waits while a unit is free: calls that waited started when a unit freed.
    waited = log.start > log.arrival
    assert waited.mean() > 0.1


@pytest.mark.parametrize(
    ("n_units", "utilisation", "n_calls"),
    [
        (4, 0.5, 400_000),
        (8, 0.5, 400_000),
        (12, 0.5, 400_000),
        pytest.param(4, 0.8, 1_500_000, marks=pytest.mark.slow),
        pytest.param(8, 0.8, 1_500_000, marks=pytest.mark.slow),
        pytest.param(12, 0.8, 1_500_000, marks=pytest.mark.slow),
    ],
)
def test_mean_response_agrees_with_exact_within_2_percent(
    n_units: int, utilisation: float, n_calls: int
) -> None:
    """Random districts (J = 5N), seed 0: simulation and exact agree on mean response."""
    system = random_system(
        n_units=n_units, n_atoms=5 * n_units, utilisation=utilisation, seed=n_units
    )
    exact = evaluate(system, method="exact")
    sim = evaluate(system, method="simulation", seed=0, n_calls=n_calls)
    assert sim.mean_response_overall == pytest.approx(exact.mean_response_overall, rel=0.02)
    assert sim.ci95_mean_response is not None
    assert (
        abs(sim.mean_response_overall - exact.mean_response_overall) <= 2 * sim.ci95_mean_response
    )
    np.testing.assert_allclose(sim.workload, exact.workload, atol=0.01)
    assert sim.p_all_busy == pytest.approx(exact.p_all_busy, abs=0.01)


@pytest.mark.slow
def test_approximation_agrees_with_simulation_at_jcps_scale() -> None:
    """N = 30 (about JCPS), beyond the exact model's comfortable range."""
    system = random_system(n_units=30, n_atoms=165, utilisation=0.5, seed=30)
    approx = evaluate(system)
    assert approx.method == "approximation"
    sim = evaluate(system, method="simulation", seed=0, n_calls=600_000)
    assert approx.mean_response_overall == pytest.approx(sim.mean_response_overall, rel=0.03)
    # Measured: 3.3 points at most (approximation error; simulation noise ~0.005).
    assert np.abs(approx.workload - sim.workload).max() < 0.05


def test_atoms_without_calls_are_nan() -> None:
    system = ResponseSystem(
        arrival_rate=np.array([0.05, 0.0]),
        travel_minutes=np.array([[2.0, 3.0], [4.0, 1.0]]),
        preference=np.array([[0, 1], [1, 0]]),
        mean_service_minutes=10.0,
    )
    sim = simulate(system, seed=1, n_calls=2_000)
    assert np.isnan(sim.mean_response_minutes[1])
    assert np.all(np.isnan(sim.dispatch_fraction[:, 1]))
    assert sim.dispatch_fraction[:, 0].sum() == pytest.approx(1.0)


def test_bad_arguments() -> None:
    system = random_system(n_units=3, n_atoms=6, utilisation=0.5, seed=1)
    with pytest.raises(ValueError, match="warmup_calls"):
        simulate(system, n_calls=100, warmup_calls=100)
    with pytest.raises(ValueError, match="n_calls"):
        simulate_calls(system, n_calls=0)
    with pytest.raises(ValueError, match="batches"):
        simulate(system, n_calls=100, batches=1)
