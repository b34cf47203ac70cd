r"""Exact zone model: a MILP solved by HiGHS (``scipy.optimize.milp``).

The formulation is the strong capacitated p-median of
:mod:`planning.zoning.problem` with :math:`n^2` binaries :math:`x_{ij}`:

* assignment :math:`\sum_i x_{ij} = 1` for every school :math:`j`;
* linking :math:`x_{ij} \le x_{ii}` (the strong form, whose LP bound is
  within 0.02 % of the optimum on planar p-median instances,
  ``planning-anchors.md`` section 2.1);
* :math:`\sum_i x_{ii} = k`;
* size :math:`(1-a)x_{ii} + \sum_{j\ne i} x_{ij} \ge 0` and
  :math:`(1-b)x_{ii} + \sum_{j\ne i} x_{ij} \le 0`;
* workload :math:`(w_i - L^-)x_{ii} + \sum_{j\ne i} w_j x_{ij} \ge 0` and the
  same with :math:`L^+` (only when the band can bind).

HiGHS reports its dual bound, so every solution carries a proven lower bound
and gap. An incumbent from :mod:`planning.zoning.heuristic` is kept whenever
the MILP stops at its node limit with a worse (or no) solution.

Every stop is a work limit (HiGHS nodes, subgradient iterations), so the same
input and seed give the same plan and gap on any machine; the time limits are
safety stops only, and a solve they cut short is marked ``stopped_on_time``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from planning.domain import FloatArray, IntArray
from planning.zoning.problem import ZoneProblem, ZoneSolution, evaluate_assignment

__all__ = ["Relaxation", "solve_exact", "solve_relaxation"]

_REL_GAP = 1e-7


def _model(problem: ZoneProblem) -> tuple[np.ndarray, LinearConstraint]:
    """Objective vector and constraints of the MILP (variables ``i * n + j``)."""
    n, k = problem.n, problem.zones
    ii = np.repeat(np.arange(n), n)  # post index of variable v
    jj = np.tile(np.arange(n), n)  # school index of variable v
    diag = ii * n + ii
    off = ii != jj
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lb: list[np.ndarray] = []
    ub: list[np.ndarray] = []
    r0 = 0

    def add(r: np.ndarray, cidx: np.ndarray, v: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        nonlocal r0
        rows.append(r + r0)
        cols.append(cidx)
        vals.append(v)
        lb.append(lo)
        ub.append(hi)
        r0 += lo.shape[0]

    var = np.arange(n * n)
    # assignment: row j
    add(jj, var, np.ones(n * n), np.ones(n), np.ones(n))
    # linking: x_ij - x_ii <= 0 for i != j
    m = int(off.sum())
    lr = np.arange(m)
    add(
        np.concatenate([lr, lr]),
        np.concatenate([var[off], diag[off]]),
        np.concatenate([np.ones(m), -np.ones(m)]),
        np.full(m, -np.inf),
        np.zeros(m),
    )
    # number of posts
    posts = np.arange(n) * n + np.arange(n)
    add(np.zeros(n, dtype=np.int64), posts, np.ones(n), np.array([k]), np.array([k]))
    # size band, row i: sum_j x_ij - a x_ii >= 0 ; sum_j x_ij - b x_ii <= 0
    ones = np.ones(n * n)
    add(ii, var, np.where(off, ones, 1.0 - problem.min_size), np.zeros(n), np.full(n, np.inf))
    add(ii, var, np.where(off, ones, 1.0 - problem.max_size), np.full(n, -np.inf), np.zeros(n))
    w = problem.weight[jj]
    if problem.min_load > 0.0:
        add(ii, var, np.where(off, w, w - problem.min_load), np.zeros(n), np.full(n, np.inf))
    if math.isfinite(problem.max_load):
        add(ii, var, np.where(off, w, w - problem.max_load), np.full(n, -np.inf), np.zeros(n))
    a = coo_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r0, n * n)
    ).tocsr()
    return problem.cost.reshape(-1), LinearConstraint(a, np.concatenate(lb), np.concatenate(ub))


@dataclass(frozen=True)
class Relaxation:
    """LP relaxation of the zone MILP.

    Attributes
    ----------
    bound
        LP optimum, a lower bound on the MILP (``inf`` if infeasible).
    post_weight
        ``(n,)`` LP values of :math:`x_{ii}`.
    integral
        The integral solution when the LP optimum is integral, else ``None``.
    """

    bound: float
    post_weight: FloatArray
    integral: ZoneSolution | None


def _hit_time_limit(res: object) -> bool:
    """Whether HiGHS stopped on its time limit (its message says so)."""
    return "time limit" in str(getattr(res, "message", "")).lower()


def solve_relaxation(problem: ZoneProblem, *, time_limit: float = 600.0) -> Relaxation:
    """Solve the LP relaxation (HiGHS) to optimality; report an integral optimum if found.

    ``time_limit`` is a safety stop only: an LP stopped by it gives no bound.
    """
    n = problem.n
    if not problem.size_feasible():
        return Relaxation(bound=math.inf, post_weight=np.zeros(n), integral=_infeasible(n))
    c, cons = _model(problem)
    res = milp(
        c,
        integrality=np.zeros(n * n),
        bounds=Bounds(0.0, 1.0),
        constraints=cons,
        options={"time_limit": float(time_limit), "presolve": True},
    )
    if res.status == 2:
        return Relaxation(bound=math.inf, post_weight=np.zeros(n), integral=_infeasible(n))
    if res.x is None or res.status != 0:
        return Relaxation(bound=-math.inf, post_weight=np.zeros(n), integral=None)
    x = res.x.reshape(n, n)
    bound = float(res.fun)
    integral = None
    if np.all(np.minimum(np.abs(x), np.abs(1.0 - x)) <= 1e-7):
        post_of: IntArray = np.argmax(x, axis=0).astype(np.int64)
        obj, ok = evaluate_assignment(problem, post_of)
        if ok:
            integral = ZoneSolution(
                post_of=post_of,
                objective=obj,
                bound=min(bound, obj),
                optimal=True,
                feasible=True,
                solver="exact (LP integral)",
            )
    return Relaxation(bound=bound, post_weight=np.diag(x).copy(), integral=integral)


DEFAULT_NODE_LIMIT = 20_000
"""Branch-and-bound nodes per MILP: the work limit that makes results repeatable."""


def solve_exact(
    problem: ZoneProblem,
    *,
    node_limit: int = DEFAULT_NODE_LIMIT,
    time_limit: float = 600.0,
    incumbent: ZoneSolution | None = None,
    rel_gap: float = _REL_GAP,
) -> ZoneSolution:
    """Solve ``problem`` by MILP; return the better of it and ``incumbent``.

    Parameters
    ----------
    problem
        The instance.
    node_limit
        Branch-and-bound nodes for HiGHS (the work limit: same input, same result).
    time_limit
        Seconds for HiGHS, a safety stop; a solve it stops is marked
        ``stopped_on_time`` because its result depends on the machine's speed.
    incumbent
        A known feasible solution (from the heuristic), kept if the MILP does
        not beat it.
    rel_gap
        Relative optimality gap at which HiGHS stops.

    Returns
    -------
    ZoneSolution
        ``optimal`` when HiGHS proved optimality (within ``rel_gap``);
        ``bound`` is HiGHS's dual bound (``inf`` when proven infeasible).
    """
    n = problem.n
    if not problem.size_feasible():
        return _infeasible(n)
    c, cons = _model(problem)
    res = milp(
        c,
        integrality=np.ones(n * n),
        bounds=Bounds(0.0, 1.0),
        constraints=cons,
        options={
            "time_limit": float(time_limit),
            "node_limit": int(node_limit),
            "mip_rel_gap": rel_gap,
            "presolve": True,
        },
    )
    timed_out = _hit_time_limit(res)
    bound = getattr(res, "mip_dual_bound", None)
    if res.status == 2:  # infeasible
        return _infeasible(n)
    dual_bound = float(bound) if bound is not None and math.isfinite(bound) else -math.inf
    if incumbent is not None and incumbent.feasible:
        dual_bound = max(dual_bound, incumbent.bound)
    best: ZoneSolution | None = None
    if res.x is not None:
        x = res.x.reshape(n, n)
        post_of: IntArray = np.argmax(x, axis=0).astype(np.int64)
        obj, ok = evaluate_assignment(problem, post_of)
        optimal = res.status == 0
        dual = dual_bound
        if optimal and not math.isfinite(dual):
            dual = obj * (1.0 - rel_gap)
        best = ZoneSolution(
            post_of=post_of,
            objective=obj,
            bound=min(dual, obj),
            optimal=optimal,
            feasible=ok,
            solver="exact",
            stopped_on_time=timed_out,
        )
    if (
        incumbent is not None
        and incumbent.feasible
        and (best is None or not best.feasible or incumbent.objective < best.objective - 1e-9)
    ):
        return ZoneSolution(
            post_of=incumbent.post_of,
            objective=incumbent.objective,
            bound=min(max(dual_bound, best.bound if best else -math.inf), incumbent.objective),
            optimal=best is not None and best.optimal,
            feasible=True,
            solver="exact" if best is not None and best.optimal else "heuristic",
            stopped_on_time=timed_out,
        )
    if best is None:
        return ZoneSolution(
            post_of=np.arange(n, dtype=np.int64),
            objective=math.inf,
            bound=dual_bound,
            optimal=False,
            feasible=False,
            solver="exact (no solution within the work limit)",
            stopped_on_time=timed_out,
        )
    return best


def _infeasible(n: int) -> ZoneSolution:
    return ZoneSolution(
        post_of=np.arange(n, dtype=np.int64),
        objective=math.inf,
        bound=math.inf,
        optimal=True,
        feasible=False,
        solver="exact (infeasible)",
    )


def lagrangian_bound(
    problem: ZoneProblem, *, upper: float, iterations: int = 300
) -> tuple[float, FloatArray]:
    r"""Lower bound by Lagrangian relaxation of the assignment constraints.

    For the large unaligned case, where the LP is too big (HiGHS needed 95 s
    and 10 GB at 1,000 schools, ``planning-anchors.md`` section 2.1).
    Relaxing :math:`\sum_i x_{ij} = 1` with multipliers :math:`u_j` (and the
    workload band, which only enlarges the feasible set) leaves, per
    candidate post :math:`i`, the best zone of :math:`a`-:math:`b` schools at
    reduced costs :math:`c_{ij} - u_j`:

    .. math:: v_i(u) = c_{ii} - u_i + \min_{S \not\ni i,\; a-1 \le |S| \le b-1}
              \sum_{j \in S} (c_{ij} - u_j),\qquad
              L(u) = \sum_j u_j + \min_{|P| = k} \sum_{i \in P} v_i(u)

    and :math:`L(u) \le` OPT for every :math:`u`. Subgradient ascent with
    Polyak steps towards ``upper`` (Held, Wolfe & Crowder 1974; Beasley 1993)
    returns the best :math:`L(u)` seen, and :math:`-v_i(u)` at that point as
    post scores to seed the heuristic (a Lagrangian heuristic).
    """
    n, k, a, b = problem.n, problem.zones, problem.min_size, problem.max_size
    if not problem.size_feasible():
        return math.inf, np.zeros(n)
    c = problem.cost
    diag = np.diag(c).copy()
    off = c + np.diag(np.full(n, np.inf))
    u = np.partition(off, 0, axis=0)[0].copy()  # cheapest other post for each school
    best = -math.inf
    scores = np.zeros(n)
    step = 1.0
    stall = 0
    take = b - 1
    for _ in range(iterations):
        red = off - u[None, :]
        if take > 0:
            part = np.partition(red, take - 1, axis=1)[:, :take] if take < n else red
            part = np.sort(part, axis=1)
            must = part[:, : a - 1].sum(axis=1)
            extra = np.minimum(part[:, a - 1 :], 0.0).sum(axis=1)
            v = diag - u + must + extra
        else:
            part = np.zeros((n, 0))
            v = diag - u
        posts = np.argpartition(v, k - 1)[:k] if k < n else np.arange(n)
        value = float(u.sum() + v[posts].sum())
        if not math.isfinite(best) or value > best + 1e-12 * max(1.0, abs(best)):
            best, stall = value, 0
            scores = -v
        else:
            stall += 1
            if stall >= 20:
                step, stall = step / 2.0, 0
        # subgradient: 1 - (number of chosen zones covering j)
        cover = np.zeros(n)
        cover[posts] += 1.0
        if take > 0:
            thresh_idx = np.argsort(red[posts], axis=1, kind="stable")[:, :take]
            chosen_vals = np.take_along_axis(red[posts], thresh_idx, axis=1)
            keep = np.zeros_like(chosen_vals, dtype=bool)
            keep[:, : a - 1] = True
            keep[:, a - 1 :] = chosen_vals[:, a - 1 :] < 0.0
            np.add.at(cover, thresh_idx[keep], 1.0)
        g = 1.0 - cover
        norm = float(g @ g)
        if norm == 0.0 or step < 1e-4:
            break
        u = u + step * max(upper - value, 1e-9 * abs(upper)) / norm * g
    return min(best, upper), scores
