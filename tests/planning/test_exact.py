"""The exact zone model equals brute-force enumeration; bounds are valid."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.zoning.allocate import allocate
from planning.zoning.exact import solve_exact, solve_relaxation
from planning.zoning.heuristic import solve_heuristic
from planning.zoning.problem import ZoneProblem, evaluate_assignment


def _partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        yield [[first], *part]
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1 :]]


def brute_force(problem: ZoneProblem) -> float:
    """Optimum by enumerating every partition and every post."""
    best = math.inf
    for part in _partitions(list(range(problem.n))):
        if len(part) != problem.zones:
            continue
        if any(not problem.min_size <= len(g) <= problem.max_size for g in part):
            continue
        total = 0.0
        for g in part:
            load = problem.weight[g].sum()
            if load < problem.min_load - 1e-9 or load > problem.max_load + 1e-9:
                total = math.inf
                break
            total += problem.cost[np.ix_(g, g)].sum(axis=1).min()
        best = min(best, total)
    return best


def random_problem(seed: int, *, banded: bool) -> ZoneProblem:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 10))
    a = int(rng.integers(1, 4))
    b = a + int(rng.integers(0, 4))
    k = int(rng.integers(1, max(2, n // a) + 1))
    xy = rng.uniform(0, 10, (n, 2))
    minutes = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)) * 2.3 + 1.5
    w = rng.uniform(0.05, 2.0, n)
    lo, hi = (0.3 * w.sum() / k, 1.7 * w.sum() / k) if banded else (0.0, math.inf)
    return ZoneProblem(
        minutes=minutes, weight=w, zones=k, min_size=a, max_size=b, min_load=lo, max_load=hi
    )


@pytest.mark.parametrize("seed", range(40))
def test_exact_equals_brute_force_on_fixed_seeds(seed: int) -> None:
    problem = random_problem(seed, banded=seed % 2 == 0)
    expected = brute_force(problem)
    sol = solve_exact(problem)
    if math.isinf(expected):
        assert not sol.feasible
        return
    assert sol.feasible and sol.optimal
    assert sol.objective == pytest.approx(expected, rel=1e-6)
    assert sol.bound <= sol.objective + 1e-9
    obj, ok = evaluate_assignment(problem, sol.post_of)
    assert ok and obj == pytest.approx(sol.objective)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), banded=st.booleans())
def test_exact_equals_brute_force_property(seed: int, banded: bool) -> None:
    problem = random_problem(seed, banded=banded)
    expected = brute_force(problem)
    sol = solve_exact(problem)
    assert (sol.objective if sol.feasible else math.inf) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("seed", range(30))
def test_heuristic_and_relaxation_bracket_the_optimum(seed: int) -> None:
    problem = random_problem(1000 + seed, banded=False)
    expected = brute_force(problem)
    if math.isinf(expected):
        return
    heur = solve_heuristic(problem, rng=np.random.default_rng(seed))
    relax = solve_relaxation(problem)
    assert heur.feasible
    assert heur.objective >= expected - 1e-9
    assert relax.bound <= expected + 1e-9
    if relax.integral is not None:
        assert relax.integral.objective == pytest.approx(expected, rel=1e-9)


def test_heuristic_matches_exact_on_most_small_instances() -> None:
    hits = 0
    for seed in range(30):
        problem = random_problem(2000 + seed, banded=False)
        exact = solve_exact(problem)
        if not exact.feasible:
            hits += 1
            continue
        heur = solve_heuristic(problem, rng=np.random.default_rng(0))
        hits += heur.objective <= exact.objective * (1 + 1e-9)
    assert hits >= 27


def test_incumbent_is_kept_when_the_milp_has_no_time() -> None:
    problem = random_problem(7, banded=False)
    heur = solve_heuristic(problem, rng=np.random.default_rng(0))
    sol = solve_exact(problem, incumbent=heur, time_limit=60.0)
    assert sol.objective <= heur.objective + 1e-9


def test_heuristic_is_deterministic_for_a_seed() -> None:
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 20, (60, 2))
    minutes = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)) + 1.0
    problem = ZoneProblem(
        minutes=minutes, weight=rng.uniform(0.1, 2, 60), zones=12, min_size=3, max_size=7
    )
    a = solve_heuristic(problem, rng=np.random.default_rng(3), starts=3)
    b = solve_heuristic(problem, rng=np.random.default_rng(3), starts=3)
    assert np.array_equal(a.post_of, b.post_of)
    assert a.feasible


@pytest.mark.parametrize("seed", range(20))
def test_allocation_dp_equals_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    areas = int(rng.integers(1, 5))
    tables: list[dict[int, float]] = []
    for _ in range(areas):
        lo = int(rng.integers(1, 3))
        hi = lo + int(rng.integers(0, 4))
        tables.append(
            {
                k: (math.inf if rng.random() < 0.15 else float(rng.uniform(0, 10)))
                for k in range(lo, hi + 1)
            }
        )
    total = int(rng.integers(areas, 4 * areas + 1))
    best = math.inf
    for combo in itertools.product(*[sorted(t) for t in tables]):
        if sum(combo) == total:
            best = min(best, sum(t[k] for t, k in zip(tables, combo, strict=True)))
    got = allocate(costs=tables, total=total)
    if math.isinf(best):
        assert got is None
    else:
        assert got is not None
        assert got[0] == pytest.approx(best)
        assert sum(got[1]) == total
        assert sum(t[k] for t, k in zip(tables, got[1], strict=True)) == pytest.approx(best)


def test_allocation_keeps_unknown_bounds() -> None:
    """A ``-inf`` lower bound propagates (unknown bound), ``+inf`` is infeasible."""
    costs = [{1: -math.inf, 2: 1.0}, {1: 2.0, 2: math.inf}]
    assert allocate(costs=costs, total=2) == (-math.inf, (1, 1))
    assert allocate(costs=costs, total=3) == (3.0, (2, 1))
    assert allocate(costs=[{1: math.inf}], total=1) is None
