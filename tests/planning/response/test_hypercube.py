"""Exact hypercube solver against direct solves and its own invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.response import (
    MAX_EXACT_UNITS,
    ConvergenceError,
    ResponseSystem,
    evaluate,
    solve_exact,
    state_probabilities,
)
from planning.response.examples import random_system
from planning.response.hypercube import upward_rates
from planning.response.queueing import erlang_c
from planning.response.reference import (
    direct_state_probabilities,
    generator_matrix,
    measures_from_states,
)

from .strategies import scaled, systems


@pytest.mark.parametrize(
    ("n_units", "utilisation", "seed"),
    [(1, 0.4, 0), (2, 0.7, 1), (5, 0.3, 2), (7, 0.5, 3), (8, 0.8, 4), (9, 0.95, 5)],
)
def test_matches_dense_direct_solve(n_units: int, utilisation: float, seed: int) -> None:
    """State probabilities, workloads and dispatch shares agree to <= 1e-9 with a dense solve."""
    system = random_system(
        n_units=n_units, n_atoms=3 * n_units + 2, utilisation=utilisation, seed=seed
    )
    reference, queue = direct_state_probabilities(system, solver="dense")
    solution = state_probabilities(system)
    assert np.abs(solution.probabilities - reference).max() < 1e-9
    assert solution.queue_probability == pytest.approx(queue, abs=1e-9)
    workload, dispatch = measures_from_states(system, reference, queue)
    result = solve_exact(system)
    assert np.abs(result.workload - workload).max() < 1e-9
    assert np.abs(result.dispatch_fraction - dispatch).max() < 1e-9


def test_matches_sparse_direct_solve_at_n10() -> None:
    system = random_system(n_units=10, n_atoms=40, utilisation=0.6, seed=11)
    reference, _ = direct_state_probabilities(system, solver="sparse")
    solution = state_probabilities(system)
    assert np.abs(solution.probabilities - reference).max() < 1e-9
    assert np.abs(solution.probabilities / reference - 1.0).max() < 1e-6


def test_relaxation_does_not_change_the_solution() -> None:
    system = random_system(n_units=9, n_atoms=30, utilisation=0.7, seed=2)
    plain = state_probabilities(system, relaxation=1.0)
    over = state_probabilities(system, relaxation=1.4)
    assert np.abs(plain.probabilities - over.probabilities).max() < 1e-10
    assert over.iterations < plain.iterations


def test_upward_rates_match_state_by_state_generator() -> None:
    system = random_system(n_units=6, n_atoms=15, utilisation=0.5, seed=8)
    q = generator_matrix(system).toarray()
    rates = upward_rates(system)
    for state in range(1 << system.n_units):
        for unit in range(system.n_units):
            if not (state >> unit) & 1:
                assert rates[unit, state] == pytest.approx(q[state, state | (1 << unit)])
            else:
                assert rates[unit, state] == 0.0
    assert np.allclose(rates[:, :-1].sum(axis=0), system.total_arrival_rate)


@settings(max_examples=60, deadline=None)
@given(system=systems())
def test_invariants_of_exact_model(system: ResponseSystem) -> None:
    """Flow conservation, Erlang C, shares summing to 1, response >= travel."""
    result = solve_exact(system)
    assert result.workload.sum() == pytest.approx(system.offered_load, rel=1e-9, abs=1e-12)
    assert np.all(result.workload >= -1e-12)
    assert np.all(result.workload <= 1 + 1e-12)
    np.testing.assert_allclose(result.dispatch_fraction.sum(axis=0), 1.0, atol=1e-9)
    assert np.all(result.dispatch_fraction >= -1e-12)
    expected_wait = erlang_c(n_units=system.n_units, offered_load=system.offered_load)
    assert result.p_all_busy == pytest.approx(expected_wait, rel=1e-9)
    # Served-call accounting: rho_n = (1/mu) * sum_j lambda_j f_nj.
    busy = result.dispatch_fraction @ system.arrival_rate * system.mean_service_minutes
    np.testing.assert_allclose(busy, result.workload, atol=1e-9)
    assert np.all(result.mean_response_minutes >= result.mean_travel_minutes - 1e-12)
    assert np.all(result.p90_response_minutes >= travel_floor(system) - 1e-9)
    assert np.all((result.cross_zone_fraction >= 0) & (result.cross_zone_fraction <= 1))


def travel_floor(system: ResponseSystem) -> np.ndarray:
    return np.asarray(system.travel_minutes.min(axis=0))


@settings(max_examples=40, deadline=None)
@given(
    system=systems(max_utilisation=0.8),
    factor=st.floats(1.01, 1.2),
)
def test_more_load_means_busier_units_and_longer_response(
    system: ResponseSystem, factor: float
) -> None:
    """Scaling all call rates up makes every unit busier and calls wait more.

    A coupling argument (extra calls only ever add busy units under
    fixed-preference dispatch) gives workload and P(wait) monotone. Mean
    response is monotone too when preference lists run by travel time and the
    travel spread is below the mean wait of a queued call, 1/(N mu - lambda);
    we build such systems here.
    """
    heavier = scaled(system, factor)
    if heavier.utilisation >= 0.99:
        return
    base, more = solve_exact(system), solve_exact(heavier)
    assert np.all(more.workload >= base.workload - 1e-10)
    assert more.p_all_busy >= base.p_all_busy - 1e-12

    n, mu = system.n_units, system.service_rate
    spread = 1.0 / (n * mu)
    travel = system.travel_minutes / max(system.travel_minutes.max(), 1e-9) * spread
    by_travel = ResponseSystem(
        arrival_rate=system.arrival_rate,
        travel_minutes=travel,
        preference=np.argsort(travel.T, axis=1, kind="stable"),
        mean_service_minutes=system.mean_service_minutes,
    )
    low, high = solve_exact(by_travel), solve_exact(scaled(by_travel, factor))
    assert np.all(high.mean_response_minutes >= low.mean_response_minutes - 1e-10)
    assert high.mean_response_overall >= low.mean_response_overall - 1e-10


def test_unstable_system_is_rejected() -> None:
    system = random_system(n_units=3, n_atoms=5, utilisation=0.5, seed=1)
    with pytest.raises(ValueError, match="unstable"):
        solve_exact(scaled(system, 2.0))


def test_too_many_units_is_rejected() -> None:
    system = random_system(
        n_units=MAX_EXACT_UNITS + 1, n_atoms=MAX_EXACT_UNITS + 1, utilisation=0.5, seed=1
    )
    with pytest.raises(ValueError, match="exact model's limit"):
        evaluate(system, method="exact")


def test_iteration_limit_raises_convergence_error() -> None:
    system = random_system(n_units=8, n_atoms=20, utilisation=0.5, seed=1)
    with pytest.raises(ConvergenceError, match="no convergence in 3 sweeps"):
        state_probabilities(system, max_iterations=3)


def test_single_unit_is_mm1() -> None:
    """N = 1: M/M/1, P(wait) = rho, every call served by the one unit."""
    system = ResponseSystem(
        arrival_rate=np.array([0.01, 0.02]),
        travel_minutes=np.array([[3.0, 5.0]]),
        preference=np.array([[0], [0]]),
        mean_service_minutes=20.0,
    )
    result = solve_exact(system)
    assert result.workload[0] == pytest.approx(0.6)
    assert result.p_all_busy == pytest.approx(0.6)
    wait = 0.6 / (1 / 20 - 0.03)  # M/M/1 mean wait in queue: rho / (mu - lambda)
    np.testing.assert_allclose(result.mean_response_minutes, [3 + wait, 5 + wait])
