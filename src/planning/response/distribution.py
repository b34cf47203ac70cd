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


def _sorted_rows_quantile(
    t: FloatArray, w: FloatArray, v: FloatArray, rate: float, q: float, *, strict: bool
) -> FloatArray:
    """Core of :func:`mixture_quantile` on 2-D rows already sorted by ``t``.

    With ``strict`` a row whose listed components never reach ``q`` gets NaN
    (its quantile lies beyond components left out); otherwise the last point.
    """
    n_points = t.shape[1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        shift = rate * (t - t[:, :1])
        if float(shift[:, -1].max()) < 600.0:  # exp cannot overflow: plain running sum
            e = np.cumsum(v * np.exp(shift), axis=1) * np.exp(-shift)
        else:
            e = np.exp(np.logaddexp.accumulate(np.log(v) + shift, axis=1) - shift)
        level = np.cumsum(w + v, axis=1)  # F(t_i) + E_i
        reached = level - e >= q
        any_reached = reached.any(axis=1)
        first = np.where(any_reached, reached.argmax(axis=1), n_points)
        rows = np.arange(t.shape[0])
        prev = np.maximum(first - 1, 0)
        t_prev, e_prev = t[rows, prev], e[rows, prev]
        gap = level[rows, prev] - q
        candidate = t_prev + np.log(e_prev / gap) / rate
        t_first = t[rows, np.minimum(first, n_points - 1)]
        inside = (first > 0) & (gap > 0) & (e_prev > 0)
        inside &= (first == n_points) | (candidate < t_first)
        result = np.where(inside, candidate, t_first)
        if strict:
            result = np.where(any_reached | inside, result, np.nan)
    return np.asarray(result, dtype=np.float64)


def _rows_quantile(
    t: FloatArray, w: FloatArray, v: FloatArray, rate: float, q: float, *, strict: bool
) -> FloatArray:
    order = np.argsort(t, axis=1)
    return _sorted_rows_quantile(
        np.take_along_axis(t, order, axis=1),
        np.take_along_axis(w, order, axis=1),
        np.take_along_axis(v, order, axis=1),
        rate,
        q,
        strict=strict,
    )


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
        ``(..., M)`` weights ``v_m >= 0`` of exponentials shifted to ``t_m``
        (broadcastable, e.g. ``(..., 1)`` for one weight per row). Each row's
        total ``sum(w) + sum(v)`` should be 1.
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
    :math:`E_i = \sum_{m \le i} v_m e^{-\theta (t_i - t_m)}`, a running sum
    (in log space when ``theta t`` could overflow). Between sorted points the
    CDF is ``const - E_i exp(-theta (x - t_i))``, inverted in closed form.

    Long rows are first solved on their ``K`` smallest points (``K = 32``
    per row; ``M / 32`` then ``M / 8`` for a single row), found with
    ``argpartition``: if that quantile lies below the smallest point left
    out, the points left out cannot change it, so it is exact; other rows are
    redone in full.

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
    t_in = np.asarray(points, dtype=np.float64)
    shape = t_in.shape[:-1]
    n_points = t_in.shape[-1]
    t = t_in.reshape(-1, n_points)
    w = np.broadcast_to(np.asarray(point_weight, dtype=np.float64), t_in.shape).reshape(t.shape)
    v = np.broadcast_to(np.asarray(exp_weight, dtype=np.float64), t_in.shape).reshape(t.shape)
    # Many rows: their 32 nearest points; one long row: growing prefixes.
    single = [max(64, n_points // 32), max(64, n_points // 8)]
    heads = [32] if t.shape[0] > 1 else single
    result = np.full(t.shape[0], np.nan)
    todo = np.arange(t.shape[0])
    for head in heads:
        if n_points <= 2 * head or todo.size == 0:
            break
        part = np.argpartition(t[todo], head, axis=1)
        keep = part[:, :head]
        cut = np.take_along_axis(t[todo], part[:, head : head + 1], axis=1)[:, 0]
        found = _rows_quantile(
            np.take_along_axis(t[todo], keep, axis=1),
            np.take_along_axis(w[todo], keep, axis=1),
            np.take_along_axis(v[todo], keep, axis=1),
            rate,
            q,
            strict=True,
        )
        exact = found < cut
        result[todo[exact]] = found[exact]
        todo = todo[~exact]
    if todo.size:
        result[todo] = _rows_quantile(t[todo], w[todo], v[todo], rate, q, strict=False)
    return result.reshape(shape)


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
    # The mixture's quantile is at most the largest atom quantile, so points
    # beyond it cannot matter.
    kept = travel.T.ravel() <= p90.max()
    p90_overall = mixture_quantile(
        points=travel.T.ravel()[kept],
        point_weight=(immediate_fraction * share).T.ravel()[kept],
        exp_weight=np.repeat(share * queued_share, n_units)[kept],
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
