"""Candidate visits of a day and their random target times.

Every window of an officer's sites is a candidate visit; so are
``patrols_per_site`` window-less patrol visits per site. Each gets a target
arrival drawn at random inside its allowed range, with weights that push
away from the minutes the site was visited in recent plans (the history):

.. math:: P(t) \\propto \\exp(-\\lambda\\, h_s(b(t)))

where :math:`h_s(b)` is the recency-weighted share of past days with a visit
to site :math:`s` in time bin :math:`b`. With no history this is uniform, the
maximum-entropy choice; with history it is a best response to an observer
who predicts from the past (see ``docs/planning-patrol.md``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from planning.patrol.model import DayPlan, Site

__all__ = ["PENALTY", "HistoryBins", "draw_target", "history_bins"]

PENALTY = {
    "required": 10_000_000,
    "targeted": 200_000,
    "window": 4_000,
    "patrol": 250,
}
"""Base drop penalties (cost units: 10 per driving minute); x (0.5 + risk) except required."""

HistoryBins = dict[str, dict[int, float]]
"""site id -> time bin -> recency-weighted share of past days with a visit there."""

RECENCY = 0.9
"""Weight of a plan ``k`` days back: ``RECENCY ** k``."""
AVERSION = 3.0
"""lambda: how hard targets avoid recently used bins."""


def history_bins(history: Sequence[DayPlan], bin_minutes: int) -> HistoryBins:
    """Recency-weighted visit bins per site over ``history`` (newest last)."""
    out: HistoryBins = defaultdict(lambda: defaultdict(float))
    plans = sorted(history, key=lambda p: p.day)
    if not plans:
        return {}
    total = sum(RECENCY**k for k in range(len(plans)))
    for k, plan in enumerate(reversed(plans)):
        w = RECENCY**k / total
        for route in plan.routes.values():
            seen = {(v.site_id, v.arrive // bin_minutes) for v in route.visits}
            for site_id, b in seen:
                out[site_id][b] += w
    return {s: dict(b) for s, b in out.items()}


def draw_target(
    rng: np.random.Generator,
    site: Site,
    earliest: int,
    latest: int,
    bins: HistoryBins,
    bin_minutes: int,
) -> int:
    """A random arrival minute in ``[earliest, latest]``, away from recent bins."""
    if latest <= earliest:
        return earliest
    minutes = np.arange(earliest, latest + 1)
    past = bins.get(site.id)
    if not past:
        return int(rng.integers(earliest, latest + 1))
    h = np.array([past.get(int(m) // bin_minutes, 0.0) for m in minutes])
    p = np.exp(-AVERSION * h)
    return int(rng.choice(minutes, p=p / p.sum()))
