"""What a staffing choice costs a year, and what each minute of p90 response it saves costs.

Unit costs are the district's (set on the planning page); the defaults reproduce JCPS's
approved 2022 plan (``shared/docs/kentucky-facts.md``): $2M a year for 15 added SSOs is about
$133,000 each, split here as $118,000 for the officer and $15,000 for the car (lease, fuel,
upkeep); with 30 SSOs that is $3.99M, and the rest of the $7.3M plan over 66 Safety
Administrators is about $50,000 each. Districts replace these with their own figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planning.domain import InputError

__all__ = [
    "SA_LEVELS",
    "AnnualCost",
    "UnitCosts",
    "annual_cost",
    "cost_per_minute_saved",
    "safety_administrators",
]

SA_LEVELS = ("middle", "high", "combined")
"""Levels with a Safety Administrator (the plan: one in every middle and high school)."""


@dataclass(frozen=True)
class UnitCosts:
    """Dollars a year: one sworn officer, one patrol vehicle, one Safety Administrator."""

    officer: float = 118_000.0
    vehicle: float = 15_000.0
    safety_administrator: float = 50_000.0

    def __post_init__(self) -> None:
        for name in ("officer", "vehicle", "safety_administrator"):
            if getattr(self, name) < 0:
                raise InputError(f"the {name.replace('_', ' ')} cost must be 0 or more", field=name)


@dataclass(frozen=True)
class AnnualCost:
    officers: float
    vehicles: float
    safety_administrators: float

    @property
    def total(self) -> float:
        return self.officers + self.vehicles + self.safety_administrators


def annual_cost(
    *,
    officers: int,
    safety_administrators: int,
    costs: UnitCosts | None = None,
    vehicles: int | None = None,
) -> AnnualCost:
    """A year's cost: each officer patrols in a car of their own unless `vehicles` is given."""
    unit = costs or UnitCosts()
    cars = officers if vehicles is None else vehicles
    if min(officers, safety_administrators, cars) < 0:
        raise InputError("officer, vehicle and Safety Administrator counts must be 0 or more")
    return AnnualCost(
        officers=officers * unit.officer,
        vehicles=cars * unit.vehicle,
        safety_administrators=safety_administrators * unit.safety_administrator,
    )


def cost_per_minute_saved(
    *, cost: float, p90_minutes: float, baseline_cost: float, baseline_p90_minutes: float
) -> float | None:
    """Added dollars a year per minute of p90 response saved against a baseline; None when the
    choice saves no time (nothing to divide by)."""
    saved = baseline_p90_minutes - p90_minutes
    if saved <= 0:
        return None
    return (cost - baseline_cost) / saved


def safety_administrators(levels: Sequence[str]) -> int:
    """Safety Administrator posts for schools of these levels."""
    return sum(1 for level in levels if level in SA_LEVELS)
