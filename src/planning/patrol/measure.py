r"""How predictable a day's visit times are from the plans before it.

For each site :math:`s`, an observer builds a predictor from the past plans
(the last ``days`` of them): :math:`P_s(b) = n_s(b) / \sum_{b'} n_s(b')`,
where :math:`n_s(b)` counts past days with a visit to :math:`s` in time bin
:math:`b` (``bin_minutes`` wide). The day's score at :math:`s` is the mass
the predictor puts on the bins where the officer actually shows up,
:math:`\sum_{b \in A_s} P_s(b)` (capped at 1): the chance that someone who
waits at :math:`s` for one bin drawn from the past meets a patrol. The
measure is the mean over the sites visited that day; a site never visited
in the history scores 0. A plan repeated every day scores 1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from planning.patrol.model import DayPlan

__all__ = ["predictability"]


def _bins(plan: DayPlan, bin_minutes: int) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for r in plan.routes.values():
        for v in r.visits:
            out[v.site_id].add(v.arrive // bin_minutes)
    return out


def predictability(
    *, history: Sequence[DayPlan], day_plan: DayPlan, bin_minutes: int = 15, days: int = 28
) -> float:
    """Mean over today's visited sites of the past-visit mass on today's bins (0..1).

    Only plans dated before ``day_plan.day`` count, the latest ``days`` of them.
    Returns 0.0 for a plan without visits.
    """
    if bin_minutes <= 0:
        raise ValueError("bin_minutes must be positive")
    past = sorted((p for p in history if p.day < day_plan.day), key=lambda p: p.day)[-days:]
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for p in past:
        for site, bins in _bins(p, bin_minutes).items():
            counts[site].update(bins)
    today = _bins(day_plan, bin_minutes)
    if not today:
        return 0.0
    scores = []
    for site, bins in today.items():
        c = counts.get(site)
        total = sum(c.values()) if c else 0
        scores.append(min(1.0, sum(c[b] for b in bins) / total) if c and total else 0.0)
    return sum(scores) / len(scores)
