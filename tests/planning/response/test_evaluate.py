"""evaluate(): method selection and argument handling."""

from __future__ import annotations

import numpy as np
import pytest

from planning.response import AUTO_EXACT_MAX_UNITS, evaluate
from planning.response.examples import larson_odoni_example, random_system

from .strategies import scaled


def test_auto_is_exact_for_small_and_approximation_for_large() -> None:
    small = random_system(n_units=AUTO_EXACT_MAX_UNITS, n_atoms=40, utilisation=0.5, seed=1)
    large = random_system(n_units=AUTO_EXACT_MAX_UNITS + 1, n_atoms=40, utilisation=0.5, seed=1)
    assert evaluate(small).method == "exact"
    assert evaluate(large).method == "approximation"


def test_results_are_consistent_across_methods() -> None:
    system = larson_odoni_example()
    for method in ("exact", "approximation", "simulation"):
        result = evaluate(system, method=method, seed=1, n_calls=50_000)
        assert result.method == method
        assert result.workload.shape == (3,)
        assert result.dispatch_fraction.shape == (3, 4)
        for field in (
            "mean_travel_minutes",
            "mean_response_minutes",
            "p90_response_minutes",
            "cross_zone_fraction",
        ):
            assert getattr(result, field).shape == (4,)
        assert result.p90_response_overall >= result.mean_travel_minutes.min()
        assert (result.ci95_mean_response is None) == (method != "simulation")
        assert (result.iterations is None) == (method == "simulation")


def test_unknown_method_and_unstable_load_are_rejected() -> None:
    system = larson_odoni_example()
    with pytest.raises(ValueError, match=r"^method:"):
        evaluate(system, method="magic")  # type: ignore[arg-type]
    for method in ("exact", "approximation", "simulation"):
        with pytest.raises(ValueError, match="unstable"):
            evaluate(scaled(system, 2.0), method=method)


def test_tolerance_is_passed_through() -> None:
    system = random_system(n_units=8, n_atoms=30, utilisation=0.5, seed=2)
    loose = evaluate(system, method="exact", tol=1e-4)
    tight = evaluate(system, method="exact")
    assert loose.iterations is not None and tight.iterations is not None
    assert loose.iterations < tight.iterations
    np.testing.assert_allclose(loose.workload, tight.workload, atol=1e-3)
