"""One planning run, as the CLI and the web app both perform it.

Given schools and a travel model: build the planner, then either plan a fixed officer
count (with the staffing curve around it) or search the smallest count meeting a
response target. Returns everything the outputs need (:class:`PlanOutputs`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection, Sequence
from typing import Any

from planning.confirm import Confirmation, confirm_smallest
from planning.demand import DEFAULT_MEAN_SERVICE_MINUTES
from planning.domain import InfeasibleError, Plan, School
from planning.equity import EquityPoint, equity_curve
from planning.io.outputs import PlanOutputs
from planning.response import ResponseSystem
from planning.staffing import (
    PlanResponse,
    ResponseMethod,
    evaluate_plan,
    smallest_officers,
    staffing_curve,
)
from planning.travel import TravelTimeModel
from planning.zoning.exact import DEFAULT_NODE_LIMIT
from planning.zoning.planner import DEFAULT_BALANCE, ZonePlanner

Progress = Callable[[float, str], None]


def _silent(fraction: float, message: str) -> None:
    """The default progress callback: report nothing."""


def design(
    *,
    schools: Sequence[School],
    travel: TravelTimeModel,
    officers: int | None = None,
    target_minutes: float | None = None,
    percentile: float = 90.0,
    min_size: int = 3,
    max_size: int = 7,
    dedicated: Collection[str] = (),
    aligned: bool = True,
    allow_merge: bool = True,
    balance: tuple[float, float] = DEFAULT_BALANCE,
    method: str = "auto",
    response_method: ResponseMethod = "auto",
    mean_service_minutes: float = DEFAULT_MEAN_SERVICE_MINUTES,
    time_limit: float = 600.0,
    node_limit: int = DEFAULT_NODE_LIMIT,
    equity: float = 0.0,
    with_equity_curve: bool = False,
    seed: int | None = 0,
    terminal_progress: bool = False,
    on_progress: Progress = _silent,
    parameters: dict[str, Any] | None = None,
) -> PlanOutputs:
    """Design the zones and predict the response.

    Exactly one of ``officers`` and ``target_minutes`` is given. With a target,
    the response model searches the counts and simulation confirms the answer
    (:mod:`planning.confirm`): ``PlanOutputs.smallest_officers`` is the
    simulation-confirmed count, or ``None`` when no feasible count meets it (the
    plan is then the largest count tried); the model's own answer is kept in
    ``PlanOutputs.confirmation`` and never reported as the answer.

    Raises
    ------
    InfeasibleError
        Constraints that cannot be met; the message names what to change.
    """
    if (officers is None) == (target_minutes is None):
        raise InfeasibleError("give either an officer count or a target response time")
    if officers is not None and officers < 1:
        raise InfeasibleError("--officers must be at least 1")
    started = time.perf_counter()
    on_progress(0.05, "Building high-school areas")
    rules: dict[str, Any] = {
        "schools": schools,
        "travel": travel,
        "min_size": min_size,
        "max_size": max_size,
        "dedicated": dedicated,
        "aligned": aligned,
        "allow_merge": allow_merge,
        "balance": balance,
        "method": method,
        "time_limit": time_limit,
        "node_limit": node_limit,
        "seed": seed,
    }
    planner = ZonePlanner(**rules, equity=equity, progress=terminal_progress)
    found: int | None = None
    confirmation: Confirmation | None = None
    if officers is not None:
        on_progress(0.15, f"Designing zones for {officers} officers")
        plan = planner.plan(officers)
        on_progress(0.55, "Predicting response times")
        response = evaluate_plan(
            plan=plan,
            schools=planner.schools,
            travel=travel,
            mean_service_minutes=mean_service_minutes,
            method=response_method,
            seed=seed,
        )
        on_progress(0.7, "Computing the staffing curve")
        around = range(
            max(planner.minimum_officers, officers - 2),
            min(planner.maximum_officers, officers + 2) + 1,
        )
        points, _ = staffing_curve(
            planner=planner,
            officers=around,
            percentile=percentile,
            mean_service_minutes=mean_service_minutes,
            method=response_method,
        )
    elif target_minutes is not None:
        on_progress(
            0.15, f"Searching the fewest officers for {percentile:g}% within {target_minutes:g} min"
        )
        model_found, points, plans = smallest_officers(
            planner=planner,
            target_minutes=target_minutes,
            percentile=percentile,
            mean_service_minutes=mean_service_minutes,
            method=response_method,
            progress=terminal_progress,
        )
        if not plans:
            raise InfeasibleError("no feasible officer count; check --balance and sizes")
        on_progress(0.6, "Confirming the answer by simulation")
        confirmation = _confirm(
            planner=planner,
            plans=plans,
            model_found=model_found,
            target_minutes=target_minutes,
            percentile=percentile,
            mean_service_minutes=mean_service_minutes,
            response_method=response_method,
            seed=seed,
        )
        found = confirmation.officers
        plan, response = plans[found if found is not None else max(plans)]
    else:  # pragma: no cover - excluded by the check above
        raise InfeasibleError("give either an officer count or a target response time")
    curve: tuple[EquityPoint, ...] = ()
    if with_equity_curve:
        on_progress(0.85, "Planning the equity curve")
        chosen = plan

        def plan_at(e: float) -> Plan:
            return chosen if e == equity else ZonePlanner(**rules, equity=e).plan(chosen.officers)

        curve = equity_curve(plan_at=plan_at)
    # report the whole design time (areas, every count tried), not one cached call
    plan = dataclasses.replace(plan, seconds=time.perf_counter() - started)
    on_progress(0.95, "Writing the results")
    return PlanOutputs(
        plan=plan,
        schools=planner.schools,
        response=response,
        staffing=points,
        target_minutes=target_minutes,
        percentile=percentile,
        smallest_officers=found,
        confirmation=confirmation,
        equity_curve=curve,
        parameters=parameters,
    )


def _confirm(
    *,
    planner: ZonePlanner,
    plans: dict[int, tuple[Plan, PlanResponse]],
    model_found: int | None,
    target_minutes: float,
    percentile: float,
    mean_service_minutes: float,
    response_method: ResponseMethod,
    seed: int | None,
) -> Confirmation:
    """Simulate around the model's answer; plans for new counts join ``plans``."""

    def system_for(k: int) -> ResponseSystem | None:
        if k not in plans:
            _, more = staffing_curve(
                planner=planner,
                officers=[k],
                mean_service_minutes=mean_service_minutes,
                method=response_method,
            )
            plans.update(more)
        return plans[k][1].system if k in plans else None

    model = plans[model_found if model_found is not None else max(plans)][1].method
    return confirm_smallest(
        system_for=system_for,
        model_officers=model_found,
        model=model,
        minimum=planner.minimum_officers,
        maximum=planner.maximum_officers,
        target_minutes=target_minutes,
        percentile=percentile,
        seed=0 if seed is None else seed,
    )
