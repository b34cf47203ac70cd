"""Slow, transparent reference implementations (for tests and benchmarks only).

Everything here loops over states, atoms and units in plain Python, exactly
as the textbook describes, and shares no code with the fast solvers beyond
:class:`~planning.response.system.ResponseSystem`. The tests compare the fast
solvers with these; ``bench/response.py`` uses them as speed baselines.

References
----------
Larson, R.C. and Odoni, A.R. (1981). *Urban Operations Research*, §5.4 (exact
model) and §5.5 (approximation, algorithm of Fig. 5.19). Prentice-Hall.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from planning.response.system import FloatArray, ResponseSystem

__all__ = [
    "approximation_loops",
    "direct_state_probabilities",
    "generator_matrix",
    "measures_from_states",
]


def _first_free(state: int, row: list[int]) -> int:
    for unit in row:
        if not (state >> unit) & 1:
            return unit
    return -1


def generator_matrix(system: ResponseSystem) -> sp.csr_matrix:
    """Generator of the zero-line hypercube chain, built state by state.

    Parameters
    ----------
    system
        Any system (``N`` up to about 12 in reasonable time).

    Returns
    -------
    scipy.sparse.csr_matrix, shape (2^N, 2^N)
        Off-diagonal ``[B, B']`` = transition rate; rows sum to 0.
    """
    n_units = system.n_units
    mu = system.service_rate
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    preference = system.preference.tolist()
    rates = system.arrival_rate.tolist()
    for state in range(1 << n_units):
        for unit in range(n_units):
            if (state >> unit) & 1:
                rows.append(state)
                cols.append(state ^ (1 << unit))
                vals.append(mu)
        for row, lam in zip(preference, rates, strict=True):
            unit = _first_free(state, row)
            if unit >= 0 and lam > 0:
                rows.append(state)
                cols.append(state | (1 << unit))
                vals.append(lam)
    size = 1 << n_units
    q = sp.csr_matrix((vals, (rows, cols)), shape=(size, size))
    q = q - sp.diags(np.asarray(q.sum(axis=1)).ravel())
    return sp.csr_matrix(q)


def direct_state_probabilities(
    system: ResponseSystem, *, solver: Literal["dense", "sparse"] = "dense"
) -> tuple[FloatArray, float]:
    """Solve ``pi Q = 0, sum pi = 1`` directly and add the infinite-line tail.

    Parameters
    ----------
    system
        System with ``lambda < N mu``.
    solver
        ``"dense"`` (:func:`numpy.linalg.solve`) or ``"sparse"``
        (:func:`scipy.sparse.linalg.spsolve`, SuperLU).

    Returns
    -------
    probabilities : ndarray, shape (2^N,)
        ``P(B)``, as :attr:`HypercubeSolution.probabilities`.
    queue_probability : float
        ``P(all busy, at least one waiting)``.
    """
    q = generator_matrix(system)
    size = q.shape[0]
    a = sp.lil_matrix(q.T)
    a[size - 1, :] = np.ones(size)
    rhs = np.zeros(size)
    rhs[-1] = 1.0
    if solver == "dense":
        loss = np.linalg.solve(a.toarray(), rhs)
    else:
        loss = np.asarray(spla.spsolve(sp.csc_matrix(a), rhs))
    rho = system.utilisation
    tail = loss[-1] * rho / (1.0 - rho)
    return loss / (1.0 + tail), float(tail / (1.0 + tail))


def measures_from_states(
    system: ResponseSystem, probabilities: FloatArray, queue_probability: float
) -> tuple[FloatArray, FloatArray]:
    """Workloads and dispatch fractions by summing over states (Larson & Odoni §5.4.4).

    Returns
    -------
    workload : ndarray, shape (N,)
    dispatch_fraction : ndarray, shape (N, J)
    """
    n_units, n_atoms = system.n_units, system.n_atoms
    p_wait = float(probabilities[-1]) + queue_probability
    workload = np.full(n_units, queue_probability)
    dispatch = np.full((n_units, n_atoms), p_wait / n_units)
    preference = system.preference.tolist()
    for state in range(1 << n_units):
        p = float(probabilities[state])
        for unit in range(n_units):
            if (state >> unit) & 1:
                workload[unit] += p
        for j, row in enumerate(preference):
            unit = _first_free(state, row)
            if unit >= 0:
                dispatch[unit, j] += p
    return workload, dispatch


def approximation_loops(
    system: ResponseSystem, *, tol: float = 1e-10, max_iterations: int = 500
) -> tuple[FloatArray, int, bool]:
    """Larson's approximation, the book's plain iteration, in Python loops.

    ``Q`` uses factorials through :func:`math.lgamma`; no damping, no
    acceleration.

    Returns
    -------
    workload : ndarray, shape (N,)
    iterations : int
    converged : bool
    """
    n = system.n_units
    mu = system.service_rate
    offered = system.offered_load
    rho = offered / n
    log_terms = [k * math.log(offered) - math.lgamma(k + 1) for k in range(n)]
    log_terms.append(n * math.log(offered) - math.lgamma(n + 1) - math.log1p(-rho))
    top = max(log_terms)
    log_p0 = -(top + math.log(sum(math.exp(x - top) for x in log_terms)))
    p_wait = math.exp(log_terms[-1] + log_p0)
    q = []
    for j in range(n):
        terms = [
            math.lgamma(n - j)
            + math.log(n - k)
            - math.lgamma(k - j + 1)
            + k * math.log(n)
            + (k - j) * math.log(rho)
            - math.lgamma(n + 1)
            + log_p0
            - math.log1p(-rho)
            for k in range(j, n)
        ]
        q.append(sum(math.exp(t) for t in terms))
    workload = [rho] * n
    preference = system.preference.tolist()
    rates = system.arrival_rate.tolist()
    for iteration in range(1, max_iterations + 1):
        v = [0.0] * n
        for row, lam in zip(preference, rates, strict=True):
            product = 1.0
            for k, unit in enumerate(row):
                v[unit] += lam * q[k] * product / mu
                product *= workload[unit]
        new = [(v[i] + rho * p_wait) / (1.0 + v[i]) for i in range(n)]
        scale = offered / sum(new)
        new = [x * scale for x in new]
        change = max(abs(a - b) for a, b in zip(new, workload, strict=True))
        workload = new
        if change < tol:
            return np.array(workload), iteration, True
    return np.array(workload), max_iterations, False
