"""One entry point, :func:`evaluate`, over the three response methods."""

from __future__ import annotations

from typing import Literal

import numpy as np

from planning.response.approximation import solve_approximation
from planning.response.hypercube import solve_exact
from planning.response.simulation import simulate
from planning.response.system import ResponseResult, ResponseSystem

__all__ = ["AUTO_EXACT_MAX_UNITS", "Method", "evaluate"]

Method = Literal["auto", "exact", "approximation", "simulation"]

AUTO_EXACT_MAX_UNITS = 14
"""``method="auto"`` solves exactly up to this many units (2^14 states, ~20 ms)."""


def evaluate(
    system: ResponseSystem,
    *,
    method: Method = "auto",
    seed: int | np.random.Generator | None = None,
    tol: float | None = None,
    max_iterations: int | None = None,
    n_calls: int = 200_000,
    warmup_calls: int | None = None,
) -> ResponseResult:
    """Predict workloads, dispatch shares and response times of a system.

    Parameters
    ----------
    system
        The dispatch system; the queue must be stable (``lambda < N mu``).
    method
        ``"exact"``: the hypercube model (Larson 1974), ``N <= 20``.
        ``"approximation"``: Larson's (1975) ``N``-equation approximation.
        ``"simulation"``: discrete-event simulation of the same system.
        ``"auto"`` (default): exact if ``N <= AUTO_EXACT_MAX_UNITS`` (14),
        else the approximation.
    seed
        Simulation only: seed or generator (:func:`planning.rng.as_generator`).
    tol, max_iterations
        Analytic methods only: convergence tolerance and iteration limit
        (defaults: exact ``1e-12`` / 10,000 sweeps; approximation ``1e-10`` /
        1,000 steps).
    n_calls, warmup_calls
        Simulation only: calls simulated and calls discarded at the start
        (default a tenth).

    Returns
    -------
    ResponseResult

    Raises
    ------
    ValueError
        If the queue is unstable, ``N`` is too large for ``"exact"``, or an
        argument is invalid.
    planning.response.ConvergenceError
        If an analytic method does not converge.

    Notes
    -----
    Model: Poisson calls per atom; fixed-preference dispatch to the first
    free unit; exponential busy time of mean ``mean_service_minutes``; when
    all units are busy the call waits in one FCFS queue (infinite line) and
    is served by the unit that frees first, which travels from its post.
    Response = queue wait + travel; travel is deterministic given the unit.

    Examples
    --------
    >>> from planning.response.examples import larson_odoni_example
    >>> r = evaluate(larson_odoni_example())
    >>> r.method, [round(float(x), 4) for x in r.workload]
    ('exact', [0.5574, 0.4734, 0.4693])
    """
    chosen = method
    if method == "auto":
        chosen = "exact" if system.n_units <= AUTO_EXACT_MAX_UNITS else "approximation"
    if chosen == "exact":
        return solve_exact(
            system,
            tol=1e-12 if tol is None else tol,
            max_iterations=10_000 if max_iterations is None else max_iterations,
        )
    if chosen == "approximation":
        return solve_approximation(
            system,
            tol=1e-10 if tol is None else tol,
            max_iterations=1000 if max_iterations is None else max_iterations,
        )
    if chosen == "simulation":
        return simulate(system, seed=seed, n_calls=n_calls, warmup_calls=warmup_calls)
    raise ValueError(
        f"method: expected 'auto', 'exact', 'approximation' or 'simulation', got {method!r}"
    )
