"""The onboarding checklist as plain Python: which categories a person has covered.

An SA or SSO has one entry per plan category (the six of the district plan; the district's
own supports are colleagues, not community providers, and do not count). An entry is done
when the person recorded a contact with, or made a referral to, a service in that category
that serves their schools: one of the service's locations lies within `radius_km` of one of
their schools, or the service has no fixed location and covers the whole district (a hotline,
Child Protective Services intake). See docs/referrals.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planning.geo import haversine_km

Point = tuple[float, float]  # (latitude, longitude)


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance between two points, in kilometres."""
    return haversine_km(a[0], a[1], b[0], b[1])


@dataclass(frozen=True)
class ServiceReach:
    """Where a service is: its locations' points; `district_wide` when it has none."""

    service_id: int
    name: str
    categories: frozenset[str]
    points: tuple[Point, ...]

    @property
    def district_wide(self) -> bool:
        return not self.points


def serves(service: ServiceReach, schools: Sequence[Point], radius_km: float) -> bool:
    """Whether the service serves one of `schools`."""
    if service.district_wide:
        return True
    return any(distance_km(p, s) <= radius_km for p in service.points for s in schools)


@dataclass(frozen=True)
class Evidence:
    """A contact or a referral the person made with a service, on a day."""

    service: ServiceReach
    on: dt.date
    kind: str  # "contact" or "referral"


@dataclass(frozen=True)
class ChecklistEntry:
    category: str
    label: str
    done: bool
    service_name: str = ""
    on: dt.date | None = None
    kind: str = ""


def checklist(
    *,
    categories: Sequence[tuple[str, str]],
    evidence: Iterable[Evidence],
    schools: Sequence[Point],
    radius_km: float,
) -> list[ChecklistEntry]:
    """One entry per category, done by the earliest qualifying contact or referral."""
    first: dict[str, Evidence] = {}
    for item in sorted(evidence, key=lambda e: (e.on, e.kind)):
        if not serves(item.service, schools, radius_km):
            continue
        for code in item.service.categories:
            first.setdefault(code, item)
    entries = []
    for code, label in categories:
        found = first.get(code)
        if found is None:
            entries.append(ChecklistEntry(code, label, done=False))
        else:
            entries.append(
                ChecklistEntry(
                    code, label, True, service_name=found.service.name, on=found.on, kind=found.kind
                )
            )
    return entries
