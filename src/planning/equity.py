r"""The price of equity: the call-weighted mean against the worst-served school.

Weighting the objective by calls puts posts at the busy middle and high
schools, so quiet elementary schools can sit far from any post (an audit found
JCPS's worst school 27.8 km from its post at 30 officers). The planner's
``equity`` option (:class:`~planning.zoning.planner.ZonePlanner`) blends the
call weights with equal school weights; :func:`equity_curve` plans the same
officer count at several blends so a board can see what each step towards the
worst-served school costs the average call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planning.domain import InfeasibleError, Plan

__all__ = ["DEFAULT_EQUITIES", "EquityPoint", "equity_curve"]

DEFAULT_EQUITIES = (0.0, 0.25, 0.5, 0.75, 1.0)
"""Blends planned for the curve."""


@dataclass(frozen=True)
class EquityPoint:
    """One blend's plan, in the figures the board compares.

    Attributes
    ----------
    equity
        The blend (0: every call counts the same; 1: every school).
    call_weighted_minutes, school_mean_minutes
        Mean minutes from the post over calls, and over schools.
    worst_school_id, worst_school_minutes
        The worst-served school and its minutes from its post.
    p90_minutes
        90th percentile over schools.
    """

    equity: float
    call_weighted_minutes: float
    school_mean_minutes: float
    worst_school_id: str
    worst_school_minutes: float
    p90_minutes: float


def equity_curve(
    *,
    plan_at: Callable[[float], Plan],
    equities: Sequence[float] = DEFAULT_EQUITIES,
) -> tuple[EquityPoint, ...]:
    """Plan at each blend (``plan_at(equity)`` plans the fixed officer count); infeasible
    blends are skipped."""
    points: list[EquityPoint] = []
    for e in equities:
        try:
            plan = plan_at(e)
        except InfeasibleError:
            continue
        st = plan.school_travel
        if st is None:
            raise ValueError("the plan has no school travel figures")
        points.append(
            EquityPoint(
                equity=e,
                call_weighted_minutes=st.call_weighted_minutes,
                school_mean_minutes=st.school_mean_minutes,
                worst_school_id=st.worst_school_id,
                worst_school_minutes=st.worst_school_minutes,
                p90_minutes=st.p90_minutes,
            )
        )
    return tuple(points)
