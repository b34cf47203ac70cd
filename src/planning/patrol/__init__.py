"""Randomised School Safety Officer patrol plans (issue "SSO patrol").

Public API::

    from planning.patrol import plan_day, replan, absorb, nearest_neighbour_plan, predictability

:func:`plan_day` routes each officer through their sites' bell windows,
bus-stop times and patrol visits within the shift (OR-Tools routing with
time windows, :mod:`planning.travel` travel times), meets the coverage
targets it can and reports the rest as :class:`Shortfall`; visit times are
drawn at random each day, away from recent times, so tomorrow's plan cannot
be read from today's. See ``docs/planning-patrol.md``.

This package is plain Python (NumPy, OR-Tools); it never imports Django or
``safeops``.
"""

from planning.patrol.baseline import nearest_neighbour_plan
from planning.patrol.measure import predictability
from planning.patrol.model import (
    CoverageTarget,
    DayPlan,
    Officer,
    Route,
    Shortfall,
    Site,
    TimeWindow,
    Visit,
)
from planning.patrol.plan import plan_day
from planning.patrol.repair import absorb, replan
from planning.travel import TravelTimeModel

__all__ = [
    "CoverageTarget",
    "DayPlan",
    "Officer",
    "Route",
    "Shortfall",
    "Site",
    "TimeWindow",
    "TravelTimeModel",
    "Visit",
    "absorb",
    "nearest_neighbour_plan",
    "plan_day",
    "predictability",
    "replan",
]
