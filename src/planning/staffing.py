r"""Predicted response of a plan, and the staffing curve.

:func:`evaluate_plan` feeds a :class:`~planning.domain.Plan` to the response
model (:mod:`planning.response`, Larson's hypercube and its approximation):
units are the officers at their posts, atoms the schools, arrival rates the
expected calls spread over the school day
(:data:`planning.demand.SCHOOL_DAY_MINUTES`), and dispatch is own-zone
officer first, then the nearest free one.

The share of calls reached within :math:`T` minutes is read off the response
model's mixture distribution (``planning/response/distribution.py``):

.. math::

    F(T) = \sum_j s_j \Bigl[\sum_n (f_{nj} - C/N)\,\mathbf 1[t_{nj} \le T]
           + \frac{C}{N}\sum_n \bigl(1 - e^{-\theta (T - t_{nj})}\bigr)^+\Bigr]

with :math:`s_j` school :math:`j`'s share of calls, :math:`f_{nj}` the
dispatch fractions, :math:`C` the probability that every officer is busy and
:math:`\theta = N\mu - \lambda`.

:func:`staffing_curve` plans and evaluates each officer count of a range;
:func:`smallest_officers` answers "how many officers for :math:`q`\% of calls
within :math:`T` minutes".
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from tqdm import tqdm

from planning.demand import DEFAULT_MEAN_SERVICE_MINUTES, per_minute
from planning.domain import FloatArray, InfeasibleError, IntArray, Locations, Plan, School
from planning.response import ResponseResult, ResponseSystem, evaluate
from planning.travel import TravelTimeModel
from planning.zoning.planner import ZonePlanner

ResponseMethod = Literal["auto", "exact", "approximation", "simulation"]
"""Methods of :func:`planning.response.evaluate`."""

__all__ = [
    "PlanResponse",
    "ResponseMethod",
    "StaffingPoint",
    "evaluate_plan",
    "fraction_within",
    "percentile_minutes",
    "smallest_officers",
    "staffing_curve",
]


@dataclass(frozen=True)
class PlanResponse:
    """Predicted response of a plan, overall and by school (file order).

    Attributes
    ----------
    method
        Response-model method used.
    mean_minutes, p90_minutes
        Call-weighted mean and 90th percentile of response (queue + travel).
    utilisation
        Mean officer workload.
    p_all_busy
        Probability a call finds every officer busy.
    school_mean, school_p90
        ``(J,)`` per-school mean and p90 response minutes.
    school_p_busy
        ``(J,)`` probability that the school's own zone officer is busy.
    school_cross_zone
        ``(J,)`` fraction of calls answered from another zone.
    workload
        ``(N,)`` per-officer workload, in plan zone order.
    """

    method: str
    mean_minutes: float
    p90_minutes: float
    utilisation: float
    p_all_busy: float
    school_mean: FloatArray
    school_p90: FloatArray
    school_p_busy: FloatArray
    school_cross_zone: FloatArray
    workload: FloatArray
    system: ResponseSystem
    result: ResponseResult


def _system(
    *,
    plan: Plan,
    schools: Sequence[School],
    travel: TravelTimeModel,
    mean_service_minutes: float,
) -> ResponseSystem:
    index = {s.id: i for i, s in enumerate(schools)}
    posts = [index[z.post_id] for z in plan.zones]
    loc = Locations.of(list(schools))
    minutes = travel.matrix(loc.take(posts), loc)
    primary: IntArray = np.full(len(schools), -1, dtype=np.int64)
    for u, z in enumerate(plan.zones):
        for sid in z.school_ids:
            primary[index[sid]] = u
    if (primary < 0).any():
        missing = [schools[i].id for i in np.flatnonzero(primary < 0)[:5]]
        raise ValueError(f"plan leaves schools unassigned: {missing}")
    rate = np.array([per_minute(s.calls_per_day) for s in schools])
    return ResponseSystem.from_zones(
        arrival_rate=rate,
        travel_minutes=minutes,
        primary_unit=primary,
        mean_service_minutes=mean_service_minutes,
    )


def evaluate_plan(
    *,
    plan: Plan,
    schools: Sequence[School],
    travel: TravelTimeModel,
    mean_service_minutes: float = DEFAULT_MEAN_SERVICE_MINUTES,
    method: ResponseMethod = "auto",
    seed: int | None = 0,
) -> PlanResponse:
    """Run the response model on ``plan``.

    Parameters
    ----------
    plan
        Zones with posts.
    schools
        The schools the plan covers (all of them).
    travel
        Travel-time model (posts to schools).
    mean_service_minutes
        Busy minutes per call, default 45 (assumption, see
        :mod:`planning.demand`).
    method
        ``"auto"``, ``"exact"``, ``"approximation"`` or ``"simulation"``.
    seed
        Seed for the simulation method.
    """
    system = _system(
        plan=plan, schools=schools, travel=travel, mean_service_minutes=mean_service_minutes
    )
    res = evaluate(system, method=method, seed=seed)
    primary = system.preference[:, 0]
    workload = np.asarray(res.workload, dtype=np.float64)
    return PlanResponse(
        method=res.method,
        mean_minutes=float(res.mean_response_overall),
        p90_minutes=float(res.p90_response_overall),
        utilisation=float(workload.mean()),
        p_all_busy=float(res.p_all_busy),
        school_mean=np.asarray(res.mean_response_minutes, dtype=np.float64),
        school_p90=np.asarray(res.p90_response_minutes, dtype=np.float64),
        school_p_busy=workload[primary],
        school_cross_zone=np.asarray(res.cross_zone_fraction, dtype=np.float64),
        workload=workload,
        system=system,
        result=res,
    )


def fraction_within(response: PlanResponse, minutes: float) -> float:
    """Share of calls reached within ``minutes`` (see module docstring)."""
    sys_, res = response.system, response.result
    n = sys_.n_units
    lam = sys_.arrival_rate
    share = lam / lam.sum()
    c = float(res.p_all_busy)
    theta = n * sys_.service_rate - sys_.total_arrival_rate
    t = sys_.travel_minutes
    f = np.nan_to_num(np.asarray(res.dispatch_fraction, dtype=np.float64))
    immediate = np.clip(f - c / n, 0.0, None)
    within = (immediate * (t <= minutes)).sum(axis=0)
    if c > 0 and theta > 0:
        within = within + (c / n) * np.clip(1.0 - np.exp(-theta * (minutes - t)), 0.0, None).sum(
            axis=0
        )
    return float(np.clip(share @ within, 0.0, 1.0))


def percentile_minutes(response: PlanResponse, percentile: float) -> float:
    """Response minutes within which ``percentile`` % of calls are reached."""
    if math.isclose(percentile, 90.0):
        return response.p90_minutes
    q = percentile / 100.0
    lo, hi = 0.0, float(response.system.travel_minutes.max()) + 1.0
    while fraction_within(response, hi) < q:
        hi *= 2.0
        if hi > 1e7:
            return math.inf
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if fraction_within(response, mid) >= q:
            hi = mid
        else:
            lo = mid
    return hi


@dataclass(frozen=True)
class StaffingPoint:
    """One officer count on the staffing curve.

    Attributes
    ----------
    officers
        Officers (dedicated included).
    objective
        Plan's call-weighted mean minutes from the posts (no queueing).
    gap
        Plan's optimality gap.
    mean_minutes, p90_minutes
        Predicted response, queueing included.
    percentile_minutes
        Predicted response at the requested percentile.
    share_within
        Share of calls reached within the target minutes (``nan`` without a
        target).
    utilisation
        Mean officer workload.
    meets_target
        Whether ``share_within >= percentile / 100``.
    """

    officers: int
    objective: float
    gap: float
    mean_minutes: float
    p90_minutes: float
    percentile_minutes: float
    share_within: float
    utilisation: float
    meets_target: bool


def _point(
    plan: Plan,
    response: PlanResponse,
    target_minutes: float | None,
    percentile: float,
) -> StaffingPoint:
    share = math.nan if target_minutes is None else fraction_within(response, target_minutes)
    return StaffingPoint(
        officers=plan.officers,
        objective=plan.objective,
        gap=plan.gap,
        mean_minutes=response.mean_minutes,
        p90_minutes=response.p90_minutes,
        percentile_minutes=percentile_minutes(response, percentile),
        share_within=share,
        utilisation=response.utilisation,
        meets_target=target_minutes is not None and share >= percentile / 100.0 - 1e-12,
    )


def staffing_curve(
    *,
    planner: ZonePlanner,
    officers: Iterable[int],
    target_minutes: float | None = None,
    percentile: float = 90.0,
    mean_service_minutes: float = DEFAULT_MEAN_SERVICE_MINUTES,
    method: ResponseMethod = "auto",
    progress: bool = False,
) -> tuple[tuple[StaffingPoint, ...], dict[int, tuple[Plan, PlanResponse]]]:
    """Best plan and its predicted response for each officer count.

    Counts outside the planner's feasible range, or whose workload band
    cannot be met, are skipped.

    Returns
    -------
    points, plans
        The curve, and each count's plan and response.
    """
    points: list[StaffingPoint] = []
    plans: dict[int, tuple[Plan, PlanResponse]] = {}
    ks = list(officers)
    bar = tqdm(ks, desc="staffing", unit="K", file=sys.stderr, disable=None if progress else True)
    for k in bar:
        try:
            plan = planner.plan(k)
        except InfeasibleError:
            continue
        resp = evaluate_plan(
            plan=plan,
            schools=planner.schools,
            travel=planner.travel,
            mean_service_minutes=mean_service_minutes,
            method=method,
        )
        plans[k] = (plan, resp)
        points.append(_point(plan, resp, target_minutes, percentile))
    bar.close()
    return tuple(points), plans


def smallest_officers(
    *,
    planner: ZonePlanner,
    target_minutes: float,
    percentile: float = 90.0,
    mean_service_minutes: float = DEFAULT_MEAN_SERVICE_MINUTES,
    method: ResponseMethod = "auto",
    extra: int = 3,
    progress: bool = False,
) -> tuple[int | None, tuple[StaffingPoint, ...], dict[int, tuple[Plan, PlanResponse]]]:
    """Smallest officer count whose best plan meets the target.

    Scans upward from the feasible minimum; stops ``extra`` counts after the
    first that meets the target (so the curve shows the margin), or at the
    feasible maximum.

    Returns
    -------
    officers, points, plans
        ``officers`` is ``None`` when no feasible count meets the target.
    """
    if not 0.0 < percentile < 100.0:
        raise ValueError("percentile must lie in (0, 100)")
    if target_minutes <= 0:
        raise ValueError("target minutes must be positive")
    found: int | None = None
    points: list[StaffingPoint] = []
    plans: dict[int, tuple[Plan, PlanResponse]] = {}
    bar = tqdm(
        total=planner.maximum_officers - planner.minimum_officers + 1,
        desc="staffing",
        unit="K",
        file=sys.stderr,
        disable=None if progress else True,
    )
    for k in range(planner.minimum_officers, planner.maximum_officers + 1):
        bar.update(1)
        pts, pl = staffing_curve(
            planner=planner,
            officers=[k],
            target_minutes=target_minutes,
            percentile=percentile,
            mean_service_minutes=mean_service_minutes,
            method=method,
        )
        points.extend(pts)
        plans.update(pl)
        if found is None and pts and pts[0].meets_target:
            found = k
        if found is not None and k >= found + extra:
            break
    bar.close()
    return found, tuple(points), plans
