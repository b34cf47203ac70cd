r"""The zone sub-problem solved inside one high-school area (or a district).

Given :math:`n` schools with calls :math:`w_j` per day and travel minutes
:math:`t_{ij}` from school :math:`i` (as a post) to school :math:`j`, choose
:math:`k` posts and assign every school to one post so that

.. math::

    \min \sum_{i,j} w_j t_{ij} x_{ij}
    \quad\text{s.t.}\quad
    \sum_i x_{ij} = 1,\;
    x_{ij} \le x_{ii},\;
    \sum_i x_{ii} = k,\;
    a\,x_{ii} \le \sum_j x_{ij} \le b\,x_{ii},\;
    L^-\,x_{ii} \le \sum_j w_j x_{ij} \le L^+\,x_{ii},\;
    x \in \{0,1\}

(:math:`x_{ii}` = school :math:`i` is a post; a post is a school of its own
zone). This is the capacitated p-median with cardinality bounds
:math:`[a, b]` (schools per zone) and a workload band :math:`[L^-, L^+]`
(calls per officer); see ReVelle & Swain (1970) for the p-median and
Mulvey & Beck (1984) for the capacitated variant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from planning.domain import FloatArray, IntArray

__all__ = ["ZoneProblem", "ZoneSolution", "evaluate_assignment"]


@dataclass(frozen=True)
class ZoneProblem:
    r"""One instance of the zone sub-problem (see module docstring).

    Attributes
    ----------
    minutes
        ``(n, n)`` travel minutes, post ``i`` to school ``j``.
    weight
        ``(n,)`` expected calls per day (the workload band counts these).
    cost_weight
        ``(n,)`` weights of the objective, :math:`\sum w'_j t_{ij} x_{ij}`;
        ``weight`` when not given (the equity blend gives other ones).
    zones
        Number of zones :math:`k`.
    min_size, max_size
        Schools per zone :math:`[a, b]`.
    min_load, max_load
        Calls per day per zone :math:`[L^-, L^+]`.
    """

    minutes: FloatArray
    weight: FloatArray
    zones: int
    min_size: int
    max_size: int
    min_load: float = 0.0
    max_load: float = math.inf
    cost_weight: FloatArray | None = None
    cost: FloatArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = self.weight.shape[0]
        if self.minutes.shape != (n, n):
            raise ValueError("minutes must be n x n")
        if self.zones < 1 or self.min_size < 1 or self.max_size < self.min_size:
            raise ValueError("need zones >= 1 and 1 <= min_size <= max_size")
        w = self.weight if self.cost_weight is None else self.cost_weight
        if w.shape != (n,):
            raise ValueError("cost_weight must have one weight per school")
        object.__setattr__(self, "cost", self.minutes * w[None, :])

    @property
    def n(self) -> int:
        """Number of schools."""
        return int(self.weight.shape[0])

    def size_feasible(self) -> bool:
        """True when ``zones`` zones of the size band can hold ``n`` schools."""
        return self.zones * self.min_size <= self.n <= self.zones * self.max_size

    @property
    def banded(self) -> bool:
        """True when the workload band can bind."""
        return self.min_load > 0.0 or math.isfinite(self.max_load)


@dataclass(frozen=True)
class ZoneSolution:
    """A solution of a :class:`ZoneProblem`.

    Attributes
    ----------
    post_of
        ``(n,)`` index of each school's post (``post_of[p] == p`` for posts).
    objective
        :math:`\\sum_j w_j t_{p(j) j}`, calls x minutes per day.
    bound
        Proven lower bound on the optimum (``objective`` when optimal; ``-inf``
        when none is known).
    optimal
        True when proven optimal (within 1e-6 relative).
    feasible
        False when the size or workload band is violated.
    solver
        Name of the method that produced it.
    stopped_on_time
        True when a solver stopped on its time limit (a safety stop) rather
        than on its work limit: only then can two runs on the same input differ.
    """

    post_of: IntArray
    objective: float
    bound: float
    optimal: bool
    feasible: bool
    solver: str
    stopped_on_time: bool = False


def evaluate_assignment(problem: ZoneProblem, post_of: IntArray) -> tuple[float, bool]:
    """Objective and feasibility (sizes, band, zone count) of an assignment."""
    n = problem.n
    idx = np.arange(n)
    obj = float(problem.cost[post_of, idx].sum())
    posts = np.unique(post_of)
    ok = bool(len(posts) == problem.zones and np.all(post_of[posts] == posts))
    sizes = np.bincount(post_of, minlength=n)[posts]
    loads = np.bincount(post_of, weights=problem.weight, minlength=n)[posts]
    ok = ok and bool(np.all(sizes >= problem.min_size) and np.all(sizes <= problem.max_size))
    tol = 1e-9 * max(1.0, float(problem.weight.sum()))
    ok = ok and bool(
        np.all(loads >= problem.min_load - tol) and np.all(loads <= problem.max_load + tol)
    )
    return obj, ok
