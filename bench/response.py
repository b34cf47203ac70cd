"""Benchmark of planning.response: exact, approximation, simulation.

Run with ``uv run python bench/response.py`` (add ``--quick`` to skip the
slowest baselines). Every figure is a wall-clock time on this machine; each
fast method is compared with a baseline run in the same process, so read the
ratios rather than the absolute seconds (planning-anchors.md §0 caveats).

Baselines:

* exact: the 2^N generator built state by state in Python and solved by a
  sparse LU (:mod:`planning.response.reference`), N <= 12;
* approximation: the book's plain iteration in Python loops (same module),
  and the plain (non-accelerated) vectorised iteration at N = 1000;
* simulation: the same model written with SimPy.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Generator
from functools import partial
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on sys.path and bench/planning.py
# would hide the planning package: drop that entry before importing it.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import numpy as np  # noqa: E402
import simpy  # noqa: E402

from planning.response import (  # noqa: E402
    ConvergenceError,
    ResponseSystem,
    evaluate,
    solve_approximation,
    solve_exact,
    state_probabilities,
)
from planning.response.approximation import approximate_workloads  # noqa: E402
from planning.response.examples import larson_odoni_example, random_system  # noqa: E402
from planning.response.reference import (  # noqa: E402
    approximation_loops,
    direct_state_probabilities,
)
from planning.response.simulation import simulate_calls  # noqa: E402


def best_of(repeats: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Smallest wall-clock time of ``repeats`` calls, and the last result."""
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def simpy_run(system: ResponseSystem, n_calls: int, seed: int) -> int:
    """The simulated model in SimPy; returns arrivals + completions."""
    rng = np.random.default_rng(seed)
    lam = system.total_arrival_rate
    gaps = rng.exponential(1.0 / lam, n_calls).tolist()
    atoms = rng.choice(system.n_atoms, n_calls, p=system.arrival_rate / lam).tolist()
    busy_time = rng.exponential(system.mean_service_minutes, n_calls).tolist()
    preference = system.preference.tolist()
    env = simpy.Environment()
    is_busy = [False] * system.n_units
    waiting: list[int] = []
    done = [0]

    def serve(unit: int, call: int) -> Generator[Any, Any, None]:
        while True:
            yield env.timeout(busy_time[call])
            done[0] += 1
            if not waiting:
                is_busy[unit] = False
                return
            call = waiting.pop(0)

    def arrivals() -> Generator[Any, Any, None]:
        for call in range(n_calls):
            yield env.timeout(gaps[call])
            for unit in preference[atoms[call]]:
                if not is_busy[unit]:
                    is_busy[unit] = True
                    env.process(serve(unit, call))
                    break
            else:
                waiting.append(call)

    env.process(arrivals())
    env.run()
    return n_calls + done[0]


def bench_exact(quick: bool) -> None:
    print("\n## Exact hypercube (71 atoms, rho = 0.5)")
    print(
        f"{'N':>3} {'states':>7} {'cold s':>8} {'warm s':>8} {'sweeps':>6} "
        f"{'baseline s':>10} {'ratio':>7} {'max |dP|':>9}"
    )
    for n_units in (8, 12, 16):
        system = random_system(n_units=n_units, n_atoms=71, utilisation=0.5, seed=n_units)
        start = time.perf_counter()
        solve_exact(system)  # first call for this N also builds the cached level structure
        cold = time.perf_counter() - start
        warm, result = best_of(5, partial(solve_exact, system))
        base_txt, ratio_txt, err_txt = "-", "-", "-"
        if n_units <= (8 if quick else 12):
            base, (ref, _) = best_of(
                1, partial(direct_state_probabilities, system, solver="sparse")
            )
            err = np.abs(state_probabilities(system).probabilities - ref).max()
            base_txt, ratio_txt, err_txt = f"{base:.3f}", f"{base / warm:.0f}x", f"{err:.1e}"
        print(
            f"{n_units:>3} {2**n_units:>7} {cold:>8.3f} {warm:>8.3f} {result.iterations:>6} "
            f"{base_txt:>10} {ratio_txt:>7} {err_txt:>9}"
        )
    print("goal: N = 16 in <= 1 s (anchor: Hua et al. CPU code 5.3 s, Larson's original 34.9 s)")


def bench_approximation(quick: bool) -> None:
    print("\n## Larson (1975) approximation")
    for utilisation in (0.5, 0.8):
        system = random_system(n_units=200, n_atoms=1500, utilisation=utilisation, seed=200)
        seconds, result = best_of(3, partial(solve_approximation, system))
        fit_seconds, _ = best_of(3, partial(approximate_workloads, system))
        print(
            f"N=200, 1,500 atoms, rho={utilisation}: {seconds:.3f} s "
            f"(workloads only {fit_seconds:.3f} s), {result.iterations} steps"
        )
        if utilisation == 0.5 and not quick:
            base, (_, steps, ok) = best_of(1, partial(approximation_loops, system))
            print(
                f"  baseline (book iteration, Python loops): {base:.2f} s, {steps} steps, "
                f"converged={ok}; ratio {base / seconds:.0f}x"
            )
    system = random_system(n_units=1000, n_atoms=1500, utilisation=0.8, seed=3, posts="uniform")
    seconds, result = best_of(1, partial(solve_approximation, system))
    print(
        f"N=1000, 1,500 atoms, rho=0.8: {seconds:.2f} s, {result.iterations} steps "
        "(Anderson, memory 5)"
    )
    if not quick:
        for damping in (1.0, 0.5):
            start = time.perf_counter()
            try:
                fit = approximate_workloads(system, memory=0, damping=damping, max_iterations=500)
                outcome = f"converged in {fit.iterations} steps"
            except ConvergenceError:
                outcome = "no convergence in 500 steps"
            print(
                f"  baseline plain iteration, damping {damping}: {outcome} "
                f"({time.perf_counter() - start:.1f} s)"
            )
    print("goal: N = 200 / 1,500 atoms in <= 0.2 s; converge at N = 1000, rho = 0.8")


def bench_accuracy() -> None:
    print("\n## Approximation error against exact (random_system, J = 5N, N = 4..12, 10 seeds)")
    print(
        f"{'rho':>4} {'workload rel max':>16} {'mean':>6} {'abs max':>8} "
        f"{'mean resp max':>13} {'mean':>6} {'p90 max':>8}"
    )
    for utilisation in (0.3, 0.5, 0.8):
        rel, points, response, p90 = [], [], [], []
        for n_units in (4, 6, 8, 10, 12):
            for seed in range(10):
                system = random_system(
                    n_units=n_units,
                    n_atoms=5 * n_units,
                    utilisation=utilisation,
                    seed=100 * n_units + seed,
                )
                exact = evaluate(system, method="exact")
                approx = evaluate(system, method="approximation")
                rel.append(np.abs(approx.workload / exact.workload - 1).max())
                points.append(np.abs(approx.workload - exact.workload).max())
                response.append(abs(approx.mean_response_overall / exact.mean_response_overall - 1))
                p90.append(abs(approx.p90_response_overall / exact.p90_response_overall - 1))
        print(
            f"{utilisation:>4} {max(rel):>15.1%} {np.mean(rel):>6.1%} {max(points):>8.3f} "
            f"{max(response):>13.1%} {np.mean(response):>6.1%} {max(p90):>8.1%}"
        )


def bench_simulation(quick: bool) -> None:
    print("\n## Simulation (events = arrivals + completions)")
    cases = [
        ("book example", larson_odoni_example(), 300_000),
        (
            "N=30, 165 atoms, rho=0.5",
            random_system(n_units=30, n_atoms=165, utilisation=0.5, seed=30),
            500_000,
        ),
    ]
    for name, system, n_calls in cases:
        seconds, log = best_of(3, partial(simulate_calls, system, n_calls=n_calls, seed=1))
        rate = log.events / seconds
        line = (
            f"{name}: {n_calls:,} calls, {log.events / 1e6:.2f} M events in {seconds:.3f} s "
            f"= {rate / 1e6:.2f} M events/s"
        )
        if not quick:
            base, events = best_of(1, partial(simpy_run, system, n_calls, 1))
            line += f"; SimPy {events / base / 1e6:.2f} M events/s, ratio {base / seconds:.1f}x"
        print(line)
    system = larson_odoni_example()
    exact = evaluate(system, method="exact")
    sim = evaluate(system, method="simulation", seed=0, n_calls=300_000)
    half_width = sim.ci95_mean_response or float("nan")
    print(
        f"book example mean response: exact {exact.mean_response_overall:.4f}, simulation "
        f"{sim.mean_response_overall:.4f} +- {half_width:.4f}; workloads "
        f"max |diff| {np.abs(sim.workload - exact.workload).max():.4f}"
    )
    print("goal: >= 1.5 M events/s (custom loop); exact inside the 95% CI")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="skip the slow baselines")
    args = parser.parse_args()
    print("# planning.response benchmark (wall-clock seconds, best of repeats)")
    bench_exact(args.quick)
    bench_approximation(args.quick)
    bench_accuracy()
    bench_simulation(args.quick)


if __name__ == "__main__":
    main()
