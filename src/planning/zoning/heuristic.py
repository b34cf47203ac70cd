r"""Fast zone heuristic: construction plus local search.

1. **Construction.** Posts by greedy p-median addition (first start) or by
   :math:`D^2` sampling (Arthur & Vassilvitskii 2007; further starts, from the
   seeded generator). Schools are then assigned to posts by a min-cost
   assignment that respects the size band exactly (each post offers
   :math:`b-1` slots, of which :math:`a-1` carry a large bonus so they fill
   first; ``scipy.optimize.linear_sum_assignment``), and every zone moves its
   post to its weighted medoid. The two steps alternate until stable
   (Teitz & Bart 1968; Mulvey & Beck 1984).
2. **Local search.** Pairs of neighbouring zones are re-optimised exactly:
   for every pair of posts in their union, sorting schools by the difference
   of their weighted travel costs gives the optimal split for each zone size
   (an exchange argument); the best split that respects the size band, and
   the workload band through a penalty, replaces the pair when it is better.
   Passes repeat until no pair improves, then the global assignment runs
   again.

The result is deterministic for a given seed. On instances where the exact
model also runs, :func:`planning.zoning.exact.solve_exact` keeps whichever is
better and its dual bound certifies the heuristic's gap.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linear_sum_assignment

from planning.domain import FloatArray, IntArray
from planning.zoning.problem import ZoneProblem, ZoneSolution, evaluate_assignment

__all__ = ["solve_heuristic"]


def _greedy_posts(cost: FloatArray, k: int) -> IntArray:
    n = cost.shape[0]
    chosen: list[int] = []
    cur = np.full(n, np.inf)
    for _ in range(k):
        tot = np.minimum(cur[None, :], cost).sum(axis=1)
        if chosen:
            tot[np.asarray(chosen)] = np.inf
        i = int(np.argmin(tot))
        chosen.append(i)
        cur = np.minimum(cur, cost[i])
    return np.asarray(chosen, dtype=np.int64)


def _sampled_posts(cost: FloatArray, k: int, rng: np.random.Generator) -> IntArray:
    n = cost.shape[0]
    first = int(rng.integers(n))
    chosen = [first]
    cur = cost[first].copy()
    for _ in range(k - 1):
        p = np.maximum(cur, 0.0) ** 2
        p[np.asarray(chosen)] = 0.0
        s = p.sum()
        if s <= 0:
            rest = np.setdiff1d(np.arange(n), np.asarray(chosen))
            i = int(rng.choice(rest))
        else:
            i = int(rng.choice(n, p=p / s))
        chosen.append(i)
        cur = np.minimum(cur, cost[i])
    return np.asarray(chosen, dtype=np.int64)


def _assign(problem: ZoneProblem, posts: IntArray) -> IntArray:
    """Size-feasible min-cost assignment of schools to fixed posts."""
    n, a, b = problem.n, problem.min_size, problem.max_size
    cost = problem.cost
    is_post = np.zeros(n, dtype=bool)
    is_post[posts] = True
    others = np.flatnonzero(~is_post)
    post_of = np.arange(n, dtype=np.int64)
    if others.size == 0:
        return post_of
    sub = cost[np.ix_(posts, others)].T  # (m, k)
    bonus = float(np.abs(sub).sum()) + 1.0
    slots = b - 1
    mat = np.repeat(sub, slots, axis=1)  # column p*slots + s
    if a > 1:
        mand = np.zeros(slots, dtype=bool)
        mand[: a - 1] = True
        mat = mat - bonus * np.tile(mand, posts.size)[None, :]
    r, c = linear_sum_assignment(mat)
    post_of[others[r]] = posts[c // slots]
    return post_of


def _medoids(problem: ZoneProblem, post_of: IntArray) -> IntArray:
    out = post_of.copy()
    for p in np.unique(post_of):
        members = np.flatnonzero(post_of == p)
        sub = problem.cost[np.ix_(members, members)].sum(axis=1)
        out[members] = members[int(np.argmin(sub))]
    return out


def _penalty(problem: ZoneProblem, loads: FloatArray, scale: float) -> FloatArray:
    over = np.maximum(loads - problem.max_load, 0.0) if math.isfinite(problem.max_load) else 0.0
    under = np.maximum(problem.min_load - loads, 0.0)
    out: FloatArray = scale * (over + under)
    return out


def _best_split(
    problem: ZoneProblem, members: IntArray, scale: float
) -> tuple[float, IntArray, int, int]:
    """Optimal 2-zone split of ``members`` (sizes exact, band penalised)."""
    a, b = problem.min_size, problem.max_size
    m = members.size
    pa, pb = np.triu_indices(m, 1)
    ca = problem.cost[np.ix_(members[pa], members)]  # (P, m)
    cb = problem.cost[np.ix_(members[pb], members)]
    diff = ca - cb
    rows = np.arange(pa.size)
    diff[rows, pa] = -np.inf
    diff[rows, pb] = np.inf
    order = np.argsort(diff, axis=1, kind="stable")
    sa = np.take_along_axis(ca, order, axis=1)
    sb = np.take_along_axis(cb, order, axis=1)
    w = problem.weight[members][order]
    zero = np.zeros((pa.size, 1))
    pre_a = np.concatenate([zero, np.cumsum(sa, axis=1)], axis=1)  # first s to a
    suf_b = np.concatenate([zero, np.cumsum(sb[:, ::-1], axis=1)], axis=1)[:, ::-1]
    load_a = np.concatenate([zero, np.cumsum(w, axis=1)], axis=1)
    total_w = load_a[:, -1:]
    s = np.arange(m + 1)
    ok = (s >= a) & (s <= b) & (m - s >= a) & (m - s <= b)
    tot = pre_a + suf_b
    if problem.banded:
        tot = tot + _penalty(problem, load_a, scale) + _penalty(problem, total_w - load_a, scale)
    tot = np.where(ok[None, :], tot, np.inf)
    flat = int(np.argmin(tot))
    p, split = divmod(flat, m + 1)
    return float(tot[p, split]), members[order[p]], split, p


def _pair_search(
    problem: ZoneProblem, post_of: IntArray, neighbours: int, scale: float, max_passes: int = 50
) -> IntArray:
    post_of = post_of.copy()
    n = problem.n
    for _ in range(max_passes):
        posts = np.unique(post_of)
        k = posts.size
        if k < 2:
            break
        if k <= neighbours + 1:
            pairs = [(int(x), int(y)) for x, y in zip(*np.triu_indices(k, 1), strict=True)]
        else:
            d = problem.minutes[np.ix_(posts, posts)]
            d = d + d.T
            near = np.argsort(d, axis=1, kind="stable")[:, 1 : neighbours + 1]
            pairs = sorted({(min(x, int(y)), max(x, int(y))) for x in range(k) for y in near[x]})
        zone_of_post = {int(p): z for z, p in enumerate(posts)}
        label = np.array([zone_of_post[int(p)] for p in post_of])
        current = posts.copy()
        loads = np.asarray(
            np.bincount(label, weights=problem.weight, minlength=k), dtype=np.float64
        )
        base = np.asarray(
            np.bincount(label, weights=problem.cost[post_of, np.arange(n)], minlength=k),
            dtype=np.float64,
        )
        if problem.banded:
            base = base + _penalty(problem, loads, scale)
        improved = False
        touched = np.zeros(k, dtype=bool)
        for za, zb in pairs:
            if touched[za] or touched[zb]:
                continue
            members = np.flatnonzero((label == za) | (label == zb))
            value, order, split, p = _best_split(problem, members, scale)
            if value < base[za] + base[zb] - 1e-9 * max(1.0, abs(value)):
                pa, pb = np.triu_indices(members.size, 1)
                new_a, new_b = members[pa[p]], members[pb[p]]
                label[order[:split]] = za
                label[order[split:]] = zb
                current[za], current[zb] = new_a, new_b
                touched[za] = touched[zb] = True
                improved = True
        if not improved:
            break
        post_of = current[label].astype(np.int64)
    return post_of


def _score(problem: ZoneProblem, post_of: IntArray, scale: float) -> float:
    obj = float(problem.cost[post_of, np.arange(problem.n)].sum())
    if problem.banded:
        loads = np.asarray(
            np.bincount(post_of, weights=problem.weight, minlength=problem.n), dtype=np.float64
        )
        posts = np.unique(post_of)
        obj += float(_penalty(problem, loads[posts], scale).sum())
    return obj


def solve_heuristic(
    problem: ZoneProblem,
    *,
    rng: np.random.Generator,
    starts: int = 3,
    neighbours: int = 8,
    seed_posts: FloatArray | None = None,
) -> ZoneSolution:
    """Construction + local search for a :class:`ZoneProblem`.

    Parameters
    ----------
    problem
        The instance.
    rng
        Generator for the randomised restarts (use
        :func:`planning.rng.as_generator`).
    starts
        Number of starts; the first is the deterministic greedy one (0 is
        allowed with ``seed_posts``: the seeded start alone).
    neighbours
        Zones paired with each zone in the local search (all pairs when there
        are at most ``neighbours + 1`` zones).
    seed_posts
        Optional ``(n,)`` post scores from the exact model's LP relaxation
        (:math:`x_{ii}`); the ``k`` highest seed one more start.

    Returns
    -------
    ZoneSolution
        With ``bound = -inf`` (no bound) and ``feasible`` as checked.
    """
    n, k = problem.n, problem.zones
    if not problem.size_feasible():
        return ZoneSolution(
            post_of=np.arange(n, dtype=np.int64),
            objective=math.inf,
            bound=math.inf,
            optimal=True,
            feasible=False,
            solver="heuristic (size-infeasible)",
        )
    scale = 10.0 * (float(problem.cost.max()) + 1.0) * n
    best: IntArray | None = None
    best_score = math.inf
    plans: list[int] = list(range(max(0 if seed_posts is not None else 1, starts)))
    if seed_posts is not None:
        plans.insert(0, -1)
    for start in plans:
        if k == n:
            posts = np.arange(n, dtype=np.int64)
        elif start == -1 and seed_posts is not None:
            posts = np.sort(np.argsort(-seed_posts, kind="stable")[:k]).astype(np.int64)
        elif start == 0:
            posts = _greedy_posts(problem.cost, k)
        else:
            posts = _sampled_posts(problem.cost, k, rng)
        post_of = _medoids(problem, _assign(problem, posts))
        score = math.inf
        for _ in range(20):
            post_of = _pair_search(problem, post_of, neighbours, scale)
            again = _medoids(problem, _assign(problem, np.unique(post_of)))
            cur = _score(problem, post_of, scale)
            alt = _score(problem, again, scale)
            if alt < cur:
                post_of, cur = again, alt
            if cur >= score - 1e-9 * max(1.0, abs(score)):
                score = min(score, cur)
                break
            score = cur
        if score < best_score - 1e-12:
            best, best_score = post_of, score
    if best is None:  # every start scored inf: fall back to the last one
        best = post_of
    obj, ok = evaluate_assignment(problem, best)
    return ZoneSolution(
        post_of=best, objective=obj, bound=-math.inf, optimal=False, feasible=ok, solver="heuristic"
    )
