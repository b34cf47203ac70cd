"""Plain data of the patrol planner: sites, officers, targets and day plans.

Times are whole minutes since midnight of the plan's day. Everything is a
frozen dataclass, so a plan can be hashed, compared in tests and handed to
the Django side without an ORM.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from planning.domain import InputError

__all__ = [
    "CoverageTarget",
    "DayPlan",
    "Officer",
    "Route",
    "Shortfall",
    "Site",
    "TimeWindow",
    "Visit",
]

_DAY = 24 * 60


@dataclass(frozen=True)
class TimeWindow:
    """A period when presence at a site matters, e.g. ``"dismissal"``.

    A visit covers the window when it arrives in ``[start, end]`` and, when
    the window is long enough, also leaves by ``end`` (see ``docs/planning-patrol.md``).
    """

    start: int
    end: int
    label: str

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end <= _DAY):
            raise InputError(
                f"window {self.label!r}: need 0 <= start <= end <= 1440 minutes, "
                f"got {self.start}-{self.end}",
                field="windows",
            )

    def latest_arrival(self, service: int) -> int:
        """Last arrival minute that still covers the window."""
        return max(self.start, self.end - service)


@dataclass(frozen=True)
class Site:
    """A school or another patrol point (a bus stop, a park by a school).

    ``risk`` (>= 0) weights the site's visits: a visit's value is ``risk``
    times its kind's base value.
    """

    id: str
    name: str
    lat: float
    lon: float
    kind: str
    windows: tuple[TimeWindow, ...] = ()
    service_minutes: float = 10.0
    risk: float = 1.0

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise InputError(f"site {self.id!r}: coordinates out of range", field="lat/lon")
        if not (math.isfinite(self.risk) and self.risk >= 0.0):
            raise InputError(f"site {self.id!r}: risk must be >= 0", field="risk")
        if not (math.isfinite(self.service_minutes) and 0.0 <= self.service_minutes <= 240.0):
            raise InputError(
                f"site {self.id!r}: service_minutes must be in [0, 240]", field="service_minutes"
            )
        labels = [w.label for w in self.windows]
        if len(set(labels)) != len(labels):
            raise InputError(f"site {self.id!r}: window labels repeat: {labels}", field="windows")

    @property
    def service(self) -> int:
        """Service time rounded up to whole minutes."""
        return math.ceil(self.service_minutes)

    def window(self, label: str) -> TimeWindow | None:
        """The window called ``label``, if any."""
        return next((w for w in self.windows if w.label == label), None)


@dataclass(frozen=True)
class Officer:
    """An officer on shift, starting at a point, patrolling ``site_ids``."""

    id: str
    start_lat: float
    start_lon: float
    shift_start: int
    shift_end: int
    site_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        if not (0 <= self.shift_start < self.shift_end <= _DAY):
            raise InputError(
                f"officer {self.id!r}: need 0 <= shift_start < shift_end <= 1440, "
                f"got {self.shift_start}-{self.shift_end}",
                field="shift",
            )


@dataclass(frozen=True)
class CoverageTarget:
    """A visit that must (``required``) or should happen today.

    ``window_label`` names one of the site's windows; ``None`` asks for a
    visit at any time of the day.
    """

    site_id: str
    window_label: str | None
    required: bool = True


@dataclass(frozen=True)
class Visit:
    """One planned stop: arrive and depart minutes, the window it covers."""

    site_id: str
    arrive: int
    depart: int
    window_label: str | None


@dataclass(frozen=True)
class Route:
    """One officer's day: the visits in order, driving minutes, last departure.

    The optional fields repeat what the officer brought (shift, start point,
    sites) so that :func:`~planning.patrol.replan` and
    :func:`~planning.patrol.absorb` can work from the plan alone.
    """

    officer_id: str
    visits: tuple[Visit, ...]
    travel_minutes: float
    end_minute: int
    shift_start: int = 0
    shift_end: int = _DAY
    site_ids: tuple[str, ...] = ()
    start_lat: float | None = None
    start_lon: float | None = None

    def sites(self) -> tuple[str, ...]:
        """The officer's sites (those visited when the route does not say)."""
        return self.site_ids or tuple(dict.fromkeys(v.site_id for v in self.visits))


@dataclass(frozen=True)
class Shortfall:
    """A coverage target the plan does not meet, and why."""

    site_id: str
    window_label: str | None
    reason: str
    required: bool = True


@dataclass(frozen=True)
class DayPlan:
    """Every officer's route for one day, and the targets it leaves short."""

    day: date
    seed: int
    routes: dict[str, Route]
    shortfalls: tuple[Shortfall, ...]
    windows_targeted: int
    windows_covered: int

    @property
    def travel_minutes(self) -> float:
        """Driving minutes over all routes."""
        return sum(r.travel_minutes for r in self.routes.values())

    @property
    def coverage(self) -> float:
        """Share of targeted windows covered (1.0 when nothing is targeted)."""
        return self.windows_covered / self.windows_targeted if self.windows_targeted else 1.0
