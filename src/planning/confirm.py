r"""Staffing answers confirmed by simulation.

The response model (the hypercube, or its approximation for many officers)
is fast enough to search officer counts, but its answer depends on the model:
an outside audit found "33 officers for 90 % within 8 minutes" from the
approximation where a simulation needed 35. So the model only *searches*;
the headline is confirmed by simulation:

* each officer count's plan is simulated in ``replications`` independent runs
  (seeds spawned from one :class:`numpy.random.SeedSequence`, so the answer is
  reproducible), each of ``calls`` calls after a warm-up of a tenth;
* a run's figure is the share of its calls reached within the target
  (queue + travel, :func:`planning.response.simulate_calls`);
* the 95 % confidence interval of the mean share uses Student's *t* over the
  independent runs (Law 2015, §9.4.1);
* the answer is the smallest count whose interval's **lower end** meets the
  percentile, found by walking down from the model's answer while the lower end
  still meets it, or up until it does.

References
----------
Law, A.M. (2015). *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import stdtrit  # Student t quantile (scipy.stats takes seconds to import)

from planning.response import ResponseSystem
from planning.response.simulation import simulate_calls

__all__ = [
    "DEFAULT_CALLS",
    "DEFAULT_REPLICATIONS",
    "Confirmation",
    "SimulatedShare",
    "confirm_smallest",
    "simulated_share_within",
]

DEFAULT_REPLICATIONS = 10
"""Independent simulation runs per officer count."""
DEFAULT_CALLS = 40_000
"""Calls per run, warm-up included (a tenth is left out)."""


@dataclass(frozen=True)
class SimulatedShare:
    """Simulated share of calls reached within the target, for one officer count.

    Attributes
    ----------
    officers
        Officer count of the plan simulated.
    share
        Mean share over the runs.
    low, high
        95 % confidence interval of the mean share.
    replications, calls
        Runs, and measured calls per run.
    meets_target
        Whether ``low`` reaches the percentile.
    """

    officers: int
    share: float
    low: float
    high: float
    replications: int
    calls: int
    meets_target: bool


@dataclass(frozen=True)
class Confirmation:
    """The simulation-confirmed staffing answer.

    Attributes
    ----------
    officers
        Smallest count whose interval's lower end meets the target (``None``
        when no count tried does).
    model_officers
        The response model's own answer, used only to start the search.
    model
        The response-model method that searched.
    points
        Every count simulated, in increasing order.
    """

    officers: int | None
    model_officers: int | None
    model: str
    points: tuple[SimulatedShare, ...]

    def at(self, officers: int) -> SimulatedShare | None:
        """The simulated point for ``officers``, if it was simulated."""
        return next((p for p in self.points if p.officers == officers), None)


def simulated_share_within(
    system: ResponseSystem,
    *,
    minutes: float,
    replications: int = DEFAULT_REPLICATIONS,
    calls: int = DEFAULT_CALLS,
    seed: int = 0,
) -> tuple[float, float, float]:
    """Mean share of calls reached within ``minutes``, with its 95 % interval.

    Returns
    -------
    share, low, high
    """
    if replications < 2:
        raise ValueError("replications: at least 2 runs are needed for an interval")
    if calls < 100:
        raise ValueError("calls: at least 100 calls per run")
    warm = calls // 10
    shares = np.empty(replications)
    for r, child in enumerate(np.random.SeedSequence(seed).spawn(replications)):
        log = simulate_calls(system, n_calls=calls, seed=np.random.default_rng(child))
        atom, unit = log.atom[warm:], log.unit[warm:]
        response = log.start[warm:] - log.arrival[warm:] + system.travel_minutes[unit, atom]
        shares[r] = float(np.mean(response <= minutes))
    mean = float(shares.mean())
    half = float(stdtrit(replications - 1, 0.975) * shares.std(ddof=1) / math.sqrt(replications))
    return mean, max(0.0, mean - half), min(1.0, mean + half)


def confirm_smallest(
    *,
    system_for: Callable[[int], ResponseSystem | None],
    model_officers: int | None,
    model: str,
    minimum: int,
    maximum: int,
    target_minutes: float,
    percentile: float,
    replications: int = DEFAULT_REPLICATIONS,
    calls: int = DEFAULT_CALLS,
    seed: int = 0,
) -> Confirmation:
    """Confirm (or correct) the model's smallest officer count by simulation.

    Parameters
    ----------
    system_for
        The response system of the best plan for a count (``None`` when the
        count has no feasible plan).
    model_officers
        The model's answer; ``None`` when the model found no count (the search
        then starts at ``maximum``).
    minimum, maximum
        Feasible officer range.
    """
    q = percentile / 100.0
    cache: dict[int, SimulatedShare | None] = {}

    def point(k: int) -> SimulatedShare | None:
        if k not in cache:
            system = system_for(k)
            if system is None:
                cache[k] = None
            else:
                share, low, high = simulated_share_within(
                    system,
                    minutes=target_minutes,
                    replications=replications,
                    calls=calls,
                    seed=seed + k,
                )
                cache[k] = SimulatedShare(
                    officers=k,
                    share=share,
                    low=low,
                    high=high,
                    replications=replications,
                    calls=calls - calls // 10,
                    meets_target=low >= q - 1e-12,
                )
        return cache[k]

    def meets(k: int) -> bool:
        p = point(k)
        return p is not None and p.meets_target

    start = maximum if model_officers is None else min(max(model_officers, minimum), maximum)
    found: int | None = None
    if meets(start):
        found = start
        while found - 1 >= minimum and meets(found - 1):
            found -= 1
    else:
        k = start + 1
        while k <= maximum and not meets(k):
            k += 1
        found = k if k <= maximum else None
    points = tuple(p for _, p in sorted(cache.items()) if p is not None)
    return Confirmation(officers=found, model_officers=model_officers, model=model, points=points)
