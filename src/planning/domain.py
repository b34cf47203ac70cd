"""Plain data of the SSO zone planner: schools, zones, merges and plans.

Everything here is a frozen dataclass or a tuple of them, so a plan can be
hashed, compared in tests and handed to the Django side without an ORM.
Algorithms live in :mod:`planning.zoning`; file formats in :mod:`planning.io`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

__all__ = [
    "AreaMerge",
    "FloatArray",
    "InfeasibleError",
    "InputError",
    "IntArray",
    "Locations",
    "Plan",
    "PlanningError",
    "School",
    "SchoolTravel",
    "Zone",
    "travel_gap",
]


class PlanningError(ValueError):
    """Base class of the planner's errors; the message says what to change."""


class InputError(PlanningError):
    """A problem with an input file, naming the line and field where known.

    Parameters
    ----------
    message
        What is wrong and what to change.
    source
        The file (or other source) name.
    line
        1-based line number in the file (the CSV header is line 1).
    field
        The column or property name.
    feature
        1-based feature number in a GeoJSON file.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
        feature: int | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.field = field
        self.feature = feature
        where = []
        if source is not None:
            where.append(source)
        if line is not None:
            where.append(f"line {line}")
        if feature is not None:
            where.append(f"feature {feature}")
        if field is not None:
            where.append(f"field '{field}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class InfeasibleError(PlanningError):
    """The constraints cannot be met; ``minimum``/``maximum`` name the feasible range.

    Parameters
    ----------
    message
        What is wrong and what to change.
    minimum, maximum
        Smallest and largest feasible officer counts, where known.
    """

    def __init__(
        self, message: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> None:
        self.minimum = minimum
        self.maximum = maximum
        super().__init__(message)


@dataclass(frozen=True)
class School:
    """One school (or program site) to be covered by a School Safety Officer.

    Attributes
    ----------
    id
        Stable identifier: ``code``/``state_school_code`` column, else the name.
    name, level
        Display name and level (``elementary``, ``middle``, ``high``,
        ``combined``, ``alternative``, ``early_childhood``, ``special_program``
        or any other string).
    lat, lon
        WGS84 degrees.
    enrollment
        Students, or ``None`` when unknown.
    feeder_high_schools
        Feeder high school names (several when the file says ``A; B``).
    resides_zone
        The high-school residence zone the building lies in, if known.
    calls_per_day
        Expected calls (police runs) per school day.
    line
        Line (CSV) or feature number (GeoJSON) it was read from.
    """

    id: str
    name: str
    level: str
    lat: float
    lon: float
    calls_per_day: float
    enrollment: int | None = None
    feeder_high_schools: tuple[str, ...] = ()
    resides_zone: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Locations:
    """Points given to a travel-time model: ids plus WGS84 coordinates.

    ``ids[i]`` names the point at ``lat[i], lon[i]``; matrix-backed models look
    points up by id, coordinate-backed ones use the coordinates.
    """

    ids: tuple[str, ...]
    lat: FloatArray
    lon: FloatArray

    def __post_init__(self) -> None:
        if not (len(self.ids) == self.lat.shape[0] == self.lon.shape[0]):
            raise ValueError("ids, lat and lon must have the same length")

    @classmethod
    def of(cls, schools: tuple[School, ...] | list[School]) -> Locations:
        """Locations of ``schools``, in order."""
        return cls(
            ids=tuple(s.id for s in schools),
            lat=np.array([s.lat for s in schools], dtype=np.float64),
            lon=np.array([s.lon for s in schools], dtype=np.float64),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, index: IntArray | list[int]) -> Locations:
        """The subset at positions ``index``."""
        idx = np.asarray(index, dtype=np.int64)
        return Locations(
            ids=tuple(self.ids[i] for i in idx.tolist()), lat=self.lat[idx], lon=self.lon[idx]
        )


@dataclass(frozen=True)
class AreaMerge:
    """A high-school area too small to form a zone, merged into another.

    Attributes
    ----------
    area
        The small area (its high school's name).
    into
        The area it joined.
    schools
        How many schools it brought.
    reason
        ``"resides zone"`` (its high school lies in ``into``'s residence
        boundary) or ``"nearest area"``.
    """

    area: str
    into: str
    schools: int
    reason: str


@dataclass(frozen=True)
class Zone:
    """One officer's zone.

    Attributes
    ----------
    id
        ``Z01``, ``Z02``, ... in a deterministic order.
    area
        High-school area the zone lies in (``None`` in an unaligned plan).
    school_ids
        Schools of the zone; the post is one of them.
    post_id
        The school the officer patrols from.
    calls_per_day
        Sum of the schools' expected calls.
    max_travel_minutes
        Longest post-to-school travel time in the zone.
    weighted_travel_minutes
        Sum over schools of calls x travel minutes from the post.
    dedicated
        True for an officer assigned to a single listed school.
    """

    id: str
    area: str | None
    school_ids: tuple[str, ...]
    post_id: str
    calls_per_day: float
    max_travel_minutes: float
    weighted_travel_minutes: float
    dedicated: bool = False


@dataclass(frozen=True)
class SchoolTravel:
    """How far each school is from its zone's post: the figures behind "who is worst served".

    Attributes
    ----------
    call_weighted_minutes
        Mean over calls (the classic objective).
    school_mean_minutes
        Mean over schools, each school counting once.
    worst_school_id, worst_school_minutes
        The school farthest from its post, and its minutes.
    p10_minutes, p90_minutes
        The spread: 10th and 90th percentiles over schools.
    """

    call_weighted_minutes: float
    school_mean_minutes: float
    worst_school_id: str
    worst_school_minutes: float
    p10_minutes: float
    p90_minutes: float

    @classmethod
    def of(cls, *, schools: Sequence[School], minutes: FloatArray) -> SchoolTravel:
        """From each school's minutes from its post (``minutes[j]`` for ``schools[j]``)."""
        calls = np.array([s.calls_per_day for s in schools], dtype=np.float64)
        worst = int(np.argmax(minutes))
        total = float(calls.sum())
        return cls(
            call_weighted_minutes=float(calls @ minutes / total) if total > 0 else math.nan,
            school_mean_minutes=float(minutes.mean()),
            worst_school_id=schools[worst].id,
            worst_school_minutes=float(minutes[worst]),
            p10_minutes=float(np.quantile(minutes, 0.1)),
            p90_minutes=float(np.quantile(minutes, 0.9)),
        )


def travel_gap(*, objective: float, lower_bound: float, startup_minutes: float) -> float:
    """Relative gap on travel time: ``(objective - lower_bound) / (objective - startup)``.

    ``inf`` without a bound, ``nan`` when the bound is unknown (``nan``), 0
    when the objective meets the bound.
    """
    if math.isnan(lower_bound):
        return math.nan
    if not math.isfinite(lower_bound) or not math.isfinite(objective):
        return math.inf
    excess = objective - lower_bound
    if excess <= 1e-12 * max(1.0, abs(objective)):
        return 0.0
    travel = objective - startup_minutes
    return excess / travel if travel > 0 else math.inf


@dataclass(frozen=True)
class Plan:
    """A zone plan for a fixed officer count.

    Attributes
    ----------
    officers
        Total officers, dedicated ones included.
    zones
        One zone per officer.
    objective
        Mean minutes from the posts under the objective's weights,
        :math:`\\sum_j w'_j t_{p(j) j} / \\sum_j w'_j`: the call-weighted mean when
        ``equity`` is 0 (the default).
    lower_bound
        A proven lower bound on ``objective`` for the same constraints.
    gap
        The gap on travel time: ``(objective - lower_bound) / (objective -
        start-up minutes)`` (the start-up every call pays is not travel the
        plan can save).
    solver
        Which solver produced it (``"exact"``, ``"heuristic"``,
        ``"exact+heuristic"``...).
    seconds
        Wall-clock seconds spent designing it.
    aligned
        True when zones follow high-school areas.
    merges
        Areas merged before zoning.
    minimum_officers, maximum_officers
        Feasible officer range under the same constraints.
    notes
        Human-readable remarks (split feeders resolved, etc.).
    equity
        The equity blend the plan was optimised for: 0 weighs every call the same
        (``objective`` is the call-weighted mean), 1 every school the same, between
        a blend (see :class:`planning.zoning.planner.ZonePlanner`).
    school_travel
        Worst-served school and the spread of schools' minutes from their post.
    """

    officers: int
    zones: tuple[Zone, ...]
    objective: float
    lower_bound: float
    gap: float
    solver: str
    seconds: float
    aligned: bool
    merges: tuple[AreaMerge, ...] = ()
    minimum_officers: int = 0
    maximum_officers: int = 0
    notes: tuple[str, ...] = field(default=())
    equity: float = 0.0
    school_travel: SchoolTravel | None = None

    def zone_of(self) -> dict[str, str]:
        """Map school id to zone id."""
        return {sid: z.id for z in self.zones for sid in z.school_ids}
