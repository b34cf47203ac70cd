r"""Exact hypercube queueing model (Larson 1974), infinite line capacity.

Formulation
-----------
State ``B`` is an ``N``-bit integer; bit ``n`` set means unit ``n`` is busy.
With fixed-preference dispatch a call at atom ``j`` goes to unit ``n`` in
state ``B`` iff ``n`` is free and every unit before ``n`` in
``preference[j]`` is busy, i.e. ``S_{jn} subseteq B`` where ``S_{jn}`` is that
set of predecessors. The upward rate from ``B`` to ``B + e_n`` is therefore

.. math::

    \lambda_n(B) = \sum_{j} \lambda_j \,\mathbf 1[S_{jn} \subseteq B],
    \qquad n \notin B,

a subset-sum (zeta) transform of ``g_n(S) = sum of lambda_j with S_{jn} = S``,
computed for all ``B`` with ``N`` vectorised passes. Every busy unit frees at
rate ``mu``. Balance of state ``B`` with ``k = |B|`` busy units:

.. math::

    \pi(B)\,(\lambda\,[k<N] + k\mu)
      = \sum_{n \in B} \pi(B - e_n)\,\lambda_n(B - e_n)
      + \mu \sum_{n \notin B} \pi(B + e_n).

Infinite line. When all units are busy, calls queue and the freed unit takes
the next one, so the all-busy state only gains the geometric tail
``P(all busy, q waiting) = P(1...1) rho^q`` (``rho = lambda / (N mu)``); the
``2^N`` probabilities are proportional to those of the zero-line (loss)
chain above (Larson & Odoni 1981, §5.4.4). We solve the loss chain and rescale.

Solver
------
States with ``k`` busy units only exchange probability with levels ``k - 1``
and ``k + 1``, so a block Gauss-Seidel sweep over levels solves each level
exactly given its neighbours (each block is diagonal). The number of busy
units is itself the M/M/N/N birth-death chain (every non-full state sends
calls at total rate ``lambda``), so each level's total is known in closed form
(Erlang loss); after updating a level we rescale it to that total, an
iterative aggregation-disaggregation step with an exact aggregate. With
over-relaxation ``omega = 1.4`` (SOR, levels 0 to N) the sweep converges to
``1e-12`` in at most about 35 sweeps on random instances up to N = 16; the
fixed point is the solution whatever ``omega``. Up- and down-rate matrices are
built once per ``N`` (cached) with NumPy bit operations; no Python loop runs
over states. This is in the spirit of the level-by-level "birth-death"
method of Hua et al. (2025), written from their abstract, not their code.

References
----------
Larson, R.C. (1974). A hypercube queuing model for facility location and
redistricting in urban emergency services. *Computers & OR* 1(1), 67-95.

Larson, R.C. and Odoni, A.R. (1981). *Urban Operations Research*, §5.4.
Prentice-Hall.

Hua, Luo, Swersey, Wen (2025). A geometrically convergent solution to spatial
hypercube queueing models. *INFORMS J. Computing*, doi 10.1287/ijoc.2025.1353.

Koury, McAllister, Stewart (1984). Iterative methods for computing stationary
distributions of nearly completely decomposable Markov chains. *SIAM J.
Algebraic Discrete Methods* 5(2), 164-186.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from planning.response.distribution import result_from_dispatch
from planning.response.exceptions import ConvergenceError
from planning.response.queueing import log_erlang_loss_levels
from planning.response.system import FloatArray, IntArray, ResponseResult, ResponseSystem

__all__ = [
    "MAX_EXACT_UNITS",
    "HypercubeSolution",
    "predecessor_masks",
    "solve_exact",
    "state_probabilities",
    "upward_rates",
]

MAX_EXACT_UNITS = 20
"""Largest ``N`` the exact solver accepts (2^20 states: about 5 s and 0.8 GB here)."""


@dataclass(frozen=True)
class HypercubeSolution:
    """Stationary distribution of the infinite-line hypercube.

    Attributes
    ----------
    probabilities
        ``(2^N,)`` ``P(B)``: index ``B`` has bit ``n`` set iff unit ``n`` is
        busy; for the all-busy index this is "all busy, nobody waiting".
    queue_probability
        ``P(all busy and at least one call waiting)``; with ``probabilities``
        it sums to 1.
    p_wait
        Probability an arriving call waits: ``P(1...1) + queue_probability``
        (Erlang C).
    iterations
        Level sweeps (SOR) used.
    max_change
        Largest change of a state probability in the last sweep.
    """

    probabilities: FloatArray
    queue_probability: float
    p_wait: float
    iterations: int
    max_change: float


def predecessor_masks(preference: IntArray) -> NDArray[np.int64]:
    """Bit masks of the units ahead of each preference position.

    Parameters
    ----------
    preference
        ``(J, N)`` dispatch preference.

    Returns
    -------
    ndarray of int64, shape (J, N)
        Entry ``[j, k]`` has bit ``u`` set iff unit ``u`` is among
        ``preference[j, :k]``; unit ``preference[j, k]`` is dispatched in state
        ``B`` iff it is free and this mask is a subset of ``B``.
    """
    bits = np.left_shift(np.int64(1), preference.astype(np.int64))
    return np.asarray(np.bitwise_or.accumulate(bits, axis=1) ^ bits, dtype=np.int64)


def _subset_sum_(values: FloatArray, n_bits: int) -> None:
    """In place: ``values[..., B] <- sum over S subseteq B of values[..., S]``."""
    lead = values.shape[:-1]
    size = 1 << n_bits
    for i in range(n_bits):
        view = values.reshape(*lead, size >> (i + 1), 2, 1 << i)
        view[..., 1, :] += view[..., 0, :]


def _superset_sum_(values: FloatArray, n_bits: int) -> None:
    """In place: ``values[B] <- sum over S supseteq B of values[S]``."""
    size = 1 << n_bits
    for i in range(n_bits):
        view = values.reshape(size >> (i + 1), 2, 1 << i)
        view[:, 0, :] += view[:, 1, :]


def upward_rates(system: ResponseSystem) -> FloatArray:
    """Dispatch rate to each unit in each state, ``lambda_n(B)``.

    Parameters
    ----------
    system
        The system; ``N`` at most :data:`MAX_EXACT_UNITS`.

    Returns
    -------
    ndarray, shape (N, 2^N)
        ``[n, B]`` is the rate of calls sent to unit ``n`` in state ``B``
        (0 where ``n`` is busy). Each column of a non-full state sums to
        ``lambda``.
    """
    n_units = system.n_units
    size = 1 << n_units
    masks = predecessor_masks(system.preference)
    rates = np.zeros((n_units, size), dtype=np.float64)
    weights = np.broadcast_to(system.arrival_rate[:, None], masks.shape)
    np.add.at(rates, (system.preference.ravel(), masks.ravel()), weights.ravel())
    _subset_sum_(rates, n_units)
    states = np.arange(size, dtype=np.int64)
    busy = ((states[None, :] >> np.arange(n_units, dtype=np.int64)[:, None]) & 1).astype(bool)
    rates[busy] = 0.0
    return rates


@dataclass(frozen=True)
class _Levels:
    """Index structure of the ``2^N`` states grouped by number busy (per ``N``)."""

    n_units: int
    order: IntArray  # states sorted by level, ascending within a level
    starts: IntArray  # level k occupies order[starts[k]:starts[k + 1]]
    up_gather: tuple[IntArray, ...]  # level k: flat index n * 2^N + source, row-major
    up_pattern: tuple[Any, ...]  # level k: CSR (size_k, size_{k-1}); data replaced per call
    down: tuple[Any, ...]  # level k: CSR (size_k, size_{k+1}) of ones


@functools.lru_cache(maxsize=4)
def _levels(n_units: int) -> _Levels:
    size = 1 << n_units
    states = np.arange(size, dtype=np.int64)
    unit_bits = np.arange(n_units, dtype=np.int64)
    bits = ((states[:, None] >> unit_bits[None, :]) & 1).astype(bool)
    level = bits.sum(axis=1)
    order = np.argsort(level, kind="stable").astype(np.int64)
    starts = np.searchsorted(level[order], np.arange(n_units + 2)).astype(np.int64)
    position = np.empty(size, dtype=np.int64)
    for k in range(n_units + 1):
        position[order[starts[k] : starts[k + 1]]] = np.arange(starts[k + 1] - starts[k])
    up_gather: list[IntArray] = [np.empty(0, dtype=np.int64)]
    up_pattern: list[Any] = [None]
    down: list[Any] = []
    for k in range(n_units + 1):
        members = order[starts[k] : starts[k + 1]]
        width = members.size
        member_bits = bits[members]
        if k > 0:  # inflow from level k - 1: one busy unit n freed in reverse
            row, unit = np.nonzero(member_bits)
            source = members[row] ^ (np.int64(1) << unit)
            up_gather.append(unit * size + source)
            up_pattern.append(
                sp.csr_matrix(
                    (
                        np.ones(row.size),
                        position[source].astype(np.int32),
                        np.arange(0, row.size + 1, k, dtype=np.int32),
                    ),
                    shape=(width, starts[k] - starts[k - 1]),
                )
            )
        if k < n_units:  # inflow from level k + 1: a free unit n that just finished
            row, unit = np.nonzero(~member_bits)
            source = members[row] | (np.int64(1) << unit)
            down.append(
                sp.csr_matrix(
                    (
                        np.ones(row.size),
                        position[source].astype(np.int32),
                        np.arange(0, row.size + 1, n_units - k, dtype=np.int32),
                    ),
                    shape=(width, starts[k + 2] - starts[k + 1]),
                )
            )
        else:
            down.append(None)
    return _Levels(
        n_units=n_units,
        order=order,
        starts=starts,
        up_gather=tuple(up_gather),
        up_pattern=tuple(up_pattern),
        down=tuple(down),
    )


def _check_size(system: ResponseSystem) -> None:
    if system.n_units > MAX_EXACT_UNITS:
        raise ValueError(
            f"travel_minutes: {system.n_units} units exceed the exact model's limit of "
            f"{MAX_EXACT_UNITS} (2^N states); use method='approximation' or 'simulation'"
        )
    if system.utilisation >= 1.0:
        raise ValueError(
            f"arrival_rate: offered load {system.offered_load:.4g} Erlangs >= "
            f"{system.n_units} units; the infinite-line queue is unstable"
        )


def state_probabilities(
    system: ResponseSystem,
    *,
    tol: float = 1e-12,
    max_iterations: int = 10_000,
    relaxation: float = 1.4,
) -> HypercubeSolution:
    """Solve the hypercube balance equations.

    Parameters
    ----------
    system
        System with ``N <= MAX_EXACT_UNITS`` and ``lambda < N mu``.
    tol
        Stop when no state probability changes by more than ``tol`` in a
        sweep. ``1e-12`` gives state errors of the same order (tested against
        a dense solve).
    max_iterations
        Sweep limit.
    relaxation
        Over-relaxation factor ``omega`` in ``(0, 2)`` of the level sweep
        (SOR). 1 is plain Gauss-Seidel; 1.4 (default) needed at most 34 sweeps
        on random instances with N <= 16, against up to 107 for 1.

    Returns
    -------
    HypercubeSolution

    Raises
    ------
    ValueError
        If ``N`` is too large or the queue is unstable.
    ConvergenceError
        If ``tol`` is not met within ``max_iterations`` sweeps.
    """
    _check_size(system)
    n_units = system.n_units
    lam = system.total_arrival_rate
    mu = system.service_rate
    levels = _levels(n_units)
    totals = np.exp(log_erlang_loss_levels(n_units=n_units, offered_load=lam / mu))
    flat_rates = upward_rates(system).ravel()
    up = [None] + [
        sp.csr_matrix(
            (flat_rates[levels.up_gather[k]], pattern.indices, pattern.indptr),
            shape=pattern.shape,
        )
        for k, pattern in enumerate(levels.up_pattern)
        if k > 0
    ]
    sizes = np.diff(levels.starts)[: n_units + 1]
    x = [np.full(int(sizes[k]), totals[k] / sizes[k]) for k in range(n_units + 1)]
    out_rate = [lam + k * mu if k < n_units else n_units * mu for k in range(n_units + 1)]
    if not 0.0 < relaxation < 2.0:
        raise ValueError(f"relaxation: must lie in (0, 2), got {relaxation}")
    change = math.inf
    iterations = 0
    while change > tol:
        if iterations >= max_iterations:
            raise ConvergenceError(
                f"hypercube: no convergence in {max_iterations} sweeps "
                f"(last max change {change:.3g} > tol {tol:.3g})"
            )
        iterations += 1
        change = 0.0
        for k in range(n_units + 1):
            inflow = np.zeros(int(sizes[k]))
            if k > 0:
                inflow += up[k] @ x[k - 1]
            if k < n_units:
                inflow += mu * (levels.down[k] @ x[k + 1])
            inflow /= out_rate[k]
            if relaxation != 1.0:
                inflow = relaxation * inflow + (1.0 - relaxation) * x[k]
            total = inflow.sum()
            new = inflow * (totals[k] / total) if total > 0 else x[k]
            change = max(change, float(np.abs(new - x[k]).max()))
            x[k] = new
    loss = np.empty(1 << n_units, dtype=np.float64)
    loss[levels.order] = np.concatenate(x)
    rho = system.utilisation
    full = loss[-1]
    scale = 1.0 / (1.0 + full * rho / (1.0 - rho))
    probabilities = loss * scale
    queue = float(probabilities[-1] * rho / (1.0 - rho))
    probabilities.setflags(write=False)
    return HypercubeSolution(
        probabilities=probabilities,
        queue_probability=queue,
        p_wait=float(probabilities[-1]) + queue,
        iterations=iterations,
        max_change=change,
    )


def solve_exact(
    system: ResponseSystem,
    *,
    tol: float = 1e-12,
    max_iterations: int = 10_000,
    relaxation: float = 1.4,
) -> ResponseResult:
    """Exact hypercube performance measures.

    Parameters
    ----------
    system
        System with ``N <= MAX_EXACT_UNITS`` and ``lambda < N mu``.
    tol, max_iterations, relaxation
        Passed to :func:`state_probabilities`.

    Returns
    -------
    ResponseResult
        ``method="exact"``. Workloads are
        ``rho_n = sum_{B contains n} P(B) + P(queue)``; the share of atom
        ``j``'s calls answered at once by unit ``n`` is
        ``sum over B supseteq S_jn, n not in B of P(B) = H(S_jn) - H(S_jn + e_n)``
        with ``H`` the superset sum of ``P``; queued calls add ``C/N`` each.

    Examples
    --------
    >>> from planning.response.examples import larson_odoni_example
    >>> r = solve_exact(larson_odoni_example())
    >>> [round(float(x), 4) for x in r.workload]
    [0.5574, 0.4734, 0.4693]
    """
    solution = state_probabilities(
        system, tol=tol, max_iterations=max_iterations, relaxation=relaxation
    )
    n_units, n_atoms = system.n_units, system.n_atoms
    prob = solution.probabilities
    size = 1 << n_units
    workload = np.array(
        [prob.reshape(size >> (n + 1), 2, 1 << n)[:, 1, :].sum() for n in range(n_units)]
    )
    workload += solution.queue_probability
    superset = prob.copy()
    _superset_sum_(superset, n_units)
    pref = system.preference
    masks = predecessor_masks(pref)
    with_unit = masks | np.left_shift(np.int64(1), pref)
    share = superset[masks] - superset[with_unit]  # (J, N) by preference position
    immediate = np.zeros((n_units, n_atoms), dtype=np.float64)
    immediate[pref, np.arange(n_atoms)[:, None]] = np.maximum(share, 0.0)
    return result_from_dispatch(
        system,
        method="exact",
        immediate_fraction=immediate,
        workload=workload,
        p_wait=solution.p_wait,
        iterations=solution.iterations,
    )
