"""The three-unit worked example of Larson & Odoni, *Urban Operations Research* (1981).

Set-up §5.4.3, exact workloads §5.4.4 (eq. 5.30), approximation §5.5.3:
N = 3, lambda = 1.5, mu = 1, infinite line capacity. Atoms are aggregated by
preference list with the split reconstructed in planning-anchors.md §1.1:
(1,2,3) 0.50, (1,3,2) 0.25, (2,1,3) 0.35, (3,1,2) 0.40.
"""

from __future__ import annotations

import numpy as np
import pytest

from planning.response import evaluate, state_probabilities
from planning.response.approximation import approximate_workloads
from planning.response.examples import larson_odoni_example
from planning.response.queueing import erlang_c, log_correction_factors

PUBLISHED_EXACT = np.array([0.5574, 0.4734, 0.4693])
PUBLISHED_APPROX = np.array([0.5627, 0.4716, 0.4657])
# planning-anchors.md §1.1; index = state bits "unit 3, unit 2, unit 1" (1 = busy).
ANCHOR_STATES = {
    0b000: 0.2105,
    0b001: 0.1367,
    0b010: 0.0886,
    0b011: 0.0949,
    0b100: 0.0905,
    0b101: 0.0889,
    0b110: 0.0530,
    0b111: 0.1184,
}


def test_exact_workloads_match_published_to_4dp() -> None:
    """Larson & Odoni §5.4.4, eq. 5.30: rho = 0.5574, 0.4734, 0.4693."""
    result = evaluate(larson_odoni_example(), method="exact")
    assert result.method == "exact"
    np.testing.assert_allclose(result.workload, PUBLISHED_EXACT, atol=1e-4)
    assert result.workload.sum() == pytest.approx(1.5, abs=1e-12)


def test_exact_state_probabilities_match_anchor_table() -> None:
    """State probabilities of §5.4.4 as tabulated in planning-anchors.md §1.1."""
    solution = state_probabilities(larson_odoni_example())
    for state, expected in ANCHOR_STATES.items():
        assert solution.probabilities[state] == pytest.approx(expected, abs=5e-5), bin(state)
    # P000 is the M/M/3 P0 = 4/19; P(queue) = P111 * rho / (1 - rho) = P111 at rho = 1/2.
    assert solution.probabilities[0] == pytest.approx(4 / 19, abs=1e-12)
    assert solution.queue_probability == pytest.approx(solution.probabilities[7], abs=1e-12)
    assert solution.p_wait == pytest.approx(erlang_c(n_units=3, offered_load=1.5), abs=1e-12)
    assert solution.probabilities.sum() + solution.queue_probability == pytest.approx(1.0)


def test_correction_factors_match_published() -> None:
    """§5.5.3: Q(3, 1/2, 0) = 1, Q(3, 1/2, 1) = 0.73684, Q(3, 1/2, 2) = 0.63158."""
    q = np.exp(log_correction_factors(n_units=3, offered_load=1.5))
    np.testing.assert_allclose(q, [1.0, 0.73684, 0.63158], atol=5e-6)
    np.testing.assert_allclose(q, [1.0, 14 / 19, 12 / 19], rtol=1e-12)


def test_approximation_matches_published_within_1e3() -> None:
    """§5.5.3: rho ~ 0.5627 / 0.4716 / 0.4657 (our normalised reading: 0.5626 / 0.4717 / 0.4657)."""
    fit = approximate_workloads(larson_odoni_example())
    np.testing.assert_allclose(fit.workload, PUBLISHED_APPROX, atol=1e-3)
    np.testing.assert_allclose(fit.workload, [0.5626, 0.4717, 0.4657], atol=1e-4)
    assert fit.workload.sum() == pytest.approx(1.5, abs=1e-12)
    # Published max error against exact: 0.0053 (about 1%).
    assert np.abs(fit.workload - PUBLISHED_EXACT).max() == pytest.approx(0.0053, abs=5e-4)


def test_cross_zone_dispatch_of_example() -> None:
    """Unit 1 backs up every other area, so its own atoms see less cross-zone service."""
    result = evaluate(larson_odoni_example(), method="exact")
    np.testing.assert_allclose(result.dispatch_fraction.sum(axis=0), 1.0, atol=1e-12)
    first = result.dispatch_fraction[[0, 0, 1, 2], [0, 1, 2, 3]]
    np.testing.assert_allclose(result.cross_zone_fraction, 1.0 - first, atol=1e-12)
    # An atom of unit 1 is served by unit 1 whenever unit 1 is free: P(unit 1 free) + C/3.
    p_free_1 = 1.0 - result.workload[0]
    assert first[0] == pytest.approx(p_free_1 + result.p_all_busy / 3, abs=1e-12)
