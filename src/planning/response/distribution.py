r"""Response-time distributions of the analytic models, and their quantiles.

Assumptions (shared with :mod:`planning.response.simulation`):

* travel from unit ``n``'s post to atom ``j`` takes exactly
  ``t[n, j] = travel_minutes[n, j]``;
* a call that finds a free unit is answered at once by the first free unit of
  its preference list;
* a call that finds all ``N`` units busy waits in one FCFS queue. In M/M/N the
  wait of such a call is exponential with rate :math:`\theta = N\mu - \lambda`,
  and the unit that takes it is equally likely to be any of the ``N`` (all
  services are exponential with the same rate), so it travels ``t[n, j]``
  with probability ``1/N`` each.

So the response time ``R_j`` = wait + travel of a call at atom ``j`` has the
mixture distribution

.. math::

    F_j(x) = \sum_n a_{nj}\,\mathbf 1[x \ge t_{nj}]
           + \frac{C}{N} \sum_n \bigl(1 - e^{-\theta (x - t_{nj})}\bigr)^+ ,

where :math:`a_{nj} = f_{nj} - C/N` is the share answered at once by unit
``n`` and ``C`` is the Erlang-C probability of waiting. Its mean is
:math:`\sum_n f_{nj} t_{nj} + C/\theta`. Quantiles are computed exactly (no
bisection): on each interval between sorted jump points the CDF is
``const - E exp(-theta (x - t_i))``, which is inverted in closed form.

References
----------
Larson, R.C. and Odoni, A.R. (1981). *Urban Operations Research*, §4.4 (M/M/N
waiting time) and §5.4 (hypercube performance measures). Prentice-Hall.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from planning.response.system import FloatArray, ResponseResult, ResponseSystem

__all__ = ["mixture_quantile", "result_from_dispatch"]


def mixture_quantile(
    *,
    points: ArrayLike,
    point_weight: ArrayLike,
    exp_weight: ArrayLike,
    rate: float,
    q: float,
) -> FloatArray:
    r"""Quantile of mixtures of point masses and shifted exponentials, row by row.

    Row ``r`` has the distribution
    :math:`\sum_m w_m \delta_{t_m} + \sum_m v_m \,(t_m + \mathrm{Exp}(\text{rate}))`.

    Parameters
    ----------
    points
        ``(..., M)`` locations ``t_m``.
    point_weight
        ``(..., M)`` point masses ``w_m >= 0``.
    exp_weight
        ``(..., M)`` weights ``v_m >= 0`` of exponentials shifted to ``t_m``,
        or ``(..., 1)`` for one weight per row. Each row's total
        ``sum(w) + sum(v)`` should be 1.
    rate
        Common exponential rate ``theta > 0``.
    q
        Probability level in ``(0, 1)``.

    Returns
    -------
    ndarray, shape (...)
        :math:`\inf\{x : F(x) \ge q\}` for each row.

    Notes
    -----
    Rows are sorted by ``t``; at sorted point ``t_i`` the exponential part of
    the CDF is :math:`V_i - E_i` with :math:`V_i = \sum_{m \le i} v_m` and
    :math:`E_i = \sum_{m \le i} v_m e^{-\theta (t_i - t_m)}`, accumulated with
    ``logaddexp`` so that large ``theta t`` does not overflow.

    Examples
    --------
    Half a point mass at 1, half an exponential (rate 1) from 0:

    >>> float(mixture_quantile(points=[0.0, 1.0], point_weight=[0.0, 0.5],
    ...                        exp_weight=[0.5, 0.0], rate=1.0, q=0.5).round(6))
    1.0
    """
    if not 0.0 < q < 1.0:
        raise ValueError(f"q: must lie in (0, 1), got {q}")
    if not rate > 0:
        raise ValueError(f"rate: must be positive, got {rate}")
    t = np.asarray(points, dtype=np.float64)
    w = np.broadcast_to(np.asarray(point_weight, dtype=np.float64), t.shape)
    v_in = np.asarray(exp_weight, dtype=np.float64)
    order = np.argsort(t, axis=-1)
    t = np.take_along_axis(t, order, axis=-1)
    w = np.take_along_axis(w, order, axis=-1)
    if v_in.ndim and v_in.shape[-1] == 1:  # one weight per row: no reordering needed
        v = np.broadcast_to(v_in, t.shape)
    else:
        v = np.take_along_axis(np.broadcast_to(v_in, t.shape), order, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_e = np.logaddexp.accumulate(np.log(v) + rate * t, axis=-1) - rate * t
        e = np.exp(log_e)
        level = np.cumsum(w + v, axis=-1)  # F(t_i) + E_i
        cdf_at = level - e
        reached = cdf_at >= q
        n_points = t.shape[-1]
        first = np.where(reached.any(axis=-1), reached.argmax(axis=-1), n_points)
        prev = np.maximum(first - 1, 0)[..., None]
        t_prev = np.take_along_axis(t, prev, axis=-1)[..., 0]
        e_prev = np.take_along_axis(e, prev, axis=-1)[..., 0]
        gap = np.take_along_axis(level, prev, axis=-1)[..., 0] - q
        candidate = t_prev + np.log(e_prev / gap) / rate
        t_first = np.take_along_axis(t, np.minimum(first, n_points - 1)[..., None], axis=-1)[..., 0]
        inside = (
            (first > 0) & (gap > 0) & (e_prev > 0) & ((first == n_points) | (candidate < t_first))
        )
        result = np.where(inside, candidate, t_first)
    return np.asarray(result, dtype=np.float64)


def result_from_dispatch(
    system: ResponseSystem,
    *,
    method: str,
    immediate_fraction: FloatArray,
    workload: FloatArray,
    p_wait: float,
    iterations: int | None,
    q: float = 0.9,
) -> ResponseResult:
    """Assemble a :class:`ResponseResult` from an analytic model's dispatch shares.

    Parameters
    ----------
    system
        The system solved.
    method
        Name stored in the result.
    immediate_fraction
        ``(N, J)`` share of atom ``j``'s calls answered at once (no wait) by
        unit ``n``; columns sum to ``1 - p_wait``.
    workload
        ``(N,)`` unit workloads.
    p_wait
        Probability that a call waits (all units busy).
    iterations
        Iteration count to report.
    q
        Quantile level reported as ``p90_*`` (0.9).

    Returns
    -------
    ResponseResult
    """
    n_units, n_atoms = system.n_units, system.n_atoms
    travel = system.travel_minutes
    lam = system.arrival_rate
    theta = n_units * system.service_rate - system.total_arrival_rate
    queued_share = p_wait / n_units
    dispatch = immediate_fraction + queued_share
    mean_wait = p_wait / theta
    mean_travel = np.einsum("nj,nj->j", dispatch, travel)
    mean_response = mean_travel + mean_wait
    first_choice = dispatch[system.preference[:, 0], np.arange(n_atoms)]
    cross_zone = np.clip(1.0 - first_choice, 0.0, 1.0)
    p90 = mixture_quantile(
        points=travel.T,
        point_weight=immediate_fraction.T,
        exp_weight=np.full((n_atoms, 1), queued_share),
        rate=theta,
        q=q,
    )
    share = lam / lam.sum()
    p90_overall = mixture_quantile(
        points=travel.T.ravel(),
        point_weight=(immediate_fraction * share).T.ravel(),
        exp_weight=np.repeat(share * queued_share, n_units),
        rate=theta,
        q=q,
    )
    return ResponseResult(
        method=method,
        workload=np.asarray(workload, dtype=np.float64),
        dispatch_fraction=np.asarray(dispatch, dtype=np.float64),
        p_all_busy=float(p_wait),
        mean_travel_minutes=np.asarray(mean_travel, dtype=np.float64),
        mean_response_minutes=np.asarray(mean_response, dtype=np.float64),
        p90_response_minutes=p90,
        cross_zone_fraction=np.asarray(cross_zone, dtype=np.float64),
        mean_response_overall=float(share @ mean_response),
        p90_response_overall=float(p90_overall),
        iterations=iterations,
    )
