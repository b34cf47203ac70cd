r"""Officers per high-school area: an exact resource-allocation DP.

With zones aligned to high-school areas, the plan separates once each area's
officer count :math:`k_a` is fixed. Choosing the counts is

.. math:: \min \sum_a c_a(k_a)\quad\text{s.t.}\quad \sum_a k_a = K,\;
          k_a \in [k_a^-, k_a^+]

with :math:`c_a(k)` the optimal cost of area :math:`a` with :math:`k` zones
(:math:`+\infty` if infeasible). No convexity is assumed: the dynamic
program over areas and running totals (Bellman 1957; Ibaraki & Katoh 1988,
*Resource Allocation Problems*, ch. 1) is exact in
:math:`O(A \cdot K \cdot \max_a (k_a^+ - k_a^-))`. Run on proven lower bounds
:math:`\underline c_a(k)` instead of costs, it yields a lower bound of the
whole plan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["allocate", "bound_totals"]


def allocate(
    *, costs: Sequence[Mapping[int, float]], total: int
) -> tuple[float, tuple[int, ...]] | None:
    """Split ``total`` officers over areas to minimise the summed cost.

    Parameters
    ----------
    costs
        For each area, ``{k: cost}`` over its allowed counts (``inf`` =
        infeasible; ``-inf`` is allowed, for lower bounds that are unknown).
    total
        Officers to allocate.

    Returns
    -------
    tuple or None
        ``(best total cost, counts per area)``, or ``None`` if no allocation
        is feasible. Ties go to the allocation found first (areas in order,
        smaller counts first), so the result is deterministic.

    Examples
    --------
    >>> allocate(costs=[{1: 5.0, 2: 3.0}, {1: 4.0, 2: 1.0}], total=3)
    (6.0, (1, 2))
    """
    inf = np.inf
    best = np.full(total + 1, inf)
    best[0] = 0.0
    choice: list[np.ndarray] = []
    for table in costs:
        nxt = np.full(total + 1, inf)
        pick = np.full(total + 1, -1, dtype=np.int64)
        for k in sorted(table):
            c = table[k]
            if k > total or not c < inf:  # +inf (or nan) = infeasible; -inf is a valid bound
                continue
            cand = np.full(total + 1, inf)
            with np.errstate(invalid="ignore"):  # inf + -inf = nan: never "better"
                cand[k:] = best[: total + 1 - k] + c
            better = cand < nxt
            nxt[better] = cand[better]
            pick[better] = k
        choice.append(pick)
        best = nxt
    if not best[total] < inf:
        return None
    counts: list[int] = []
    t = total
    for pick in reversed(choice):
        k = int(pick[t])
        counts.append(k)
        t -= k
    return float(best[total]), tuple(reversed(counts))


def bound_totals(bounds: list[dict[int, float]], total: int) -> list[dict[int, float]]:
    """For each (area, k): least total lower bound of a plan using k there (the same DP,
    run forwards and backwards over the areas on their lower bounds)."""
    inf = math.inf
    n_areas = len(bounds)

    def step(vec: np.ndarray, table: dict[int, float]) -> np.ndarray:
        out = np.full(total + 1, inf)
        for k, c in table.items():
            if k <= total and c < inf:
                with np.errstate(invalid="ignore"):
                    out[k:] = np.fmin(out[k:], vec[: total + 1 - k] + c)
        return out

    prefix = [np.full(total + 1, inf)]
    prefix[0][0] = 0.0
    for a in range(n_areas):
        prefix.append(step(prefix[-1], bounds[a]))
    suffix = [np.full(total + 1, inf) for _ in range(n_areas + 1)]
    suffix[n_areas][0] = 0.0
    for a in range(n_areas - 1, -1, -1):
        suffix[a] = step(suffix[a + 1], bounds[a])
    out: list[dict[int, float]] = []
    for a in range(n_areas):
        res: dict[int, float] = {}
        for k, c in bounds[a].items():
            rest = total - k
            if rest < 0:
                continue
            with np.errstate(invalid="ignore"):
                comb = prefix[a][: rest + 1] + suffix[a + 1][rest::-1]
                res[k] = c + float(np.nanmin(comb)) if not np.isnan(comb).all() else inf
        out.append(res)
    return out
