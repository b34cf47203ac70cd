"""A term's figures for the board report, the monitors' view and the chief's view, laid out as
table rows. The board report and the monitors' view read the precomputed, protected cells
(`published_figures`: `PublishedCell` rows of the term, the same cells the public dashboard
shows); the chief's unsuppressed view computes the term live (`term_figures`, from
`reports.measures`), since it must show what the published cells hide."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.utils import timezone
from django.utils.translation import gettext as _

from safeops.core.caches import TimedCache
from safeops.core.geo import outline
from safeops.dispatch.choices import Category, Priority
from safeops.dispatch.selectors import request_facts_for_reports, response_targets_for_reports
from safeops.reports.disclosure import Figure, Key, Protection
from safeops.reports.measures import NO_ZONE, DispatchReport, ResponseFigures, dispatch_report
from safeops.reports.models import PublishedCell
from safeops.reports.selectors import Staffing, staffing
from safeops.reports.terms import Term
from safeops.schools.models import District
from safeops.zones.models import Zone, ZoneMembership

TOTAL = "total"
WITHHELD = "suppressed"  # a count hidden by disclosure control (the reason is never told)


@dataclass(frozen=True)
class ZoneShape:
    key: str  # the zone's id as text, as in the measures' cells
    zone_id: int
    name: str
    geometry: dict[str, Any] | None  # GeoJSON (lon, lat), the outline of its schools


class Counts(Protocol):
    def count(self, key: Key) -> int | None: ...


@dataclass(frozen=True)
class TermFigures:
    term: Term
    district: District
    counts: Counts  # the published counts (None: withheld), keyed (table, zone, column)
    zone_keys: list[str]  # the zones with rows in the tables ("none": outside every zone)
    response: list[ResponseFigures]
    staffing: Staffing
    zones: list[ZoneShape]
    dispatch: DispatchReport | None = None  # the live, unsuppressed figures (the chief's)

    @property
    def protection(self) -> Protection:
        if self.dispatch is None:
            raise ValueError("the published figures carry no unsuppressed counts")
        return self.dispatch.protection

    def zone_name(self, key: str) -> str:
        if key == NO_ZONE:
            return _("Outside every zone")
        if key == TOTAL:
            return _("District")
        return next((zone.name for zone in self.zones if zone.key == key), key)


# Disclosure control runs a solver (seconds for a district): its result is kept per district,
# term and digest of the facts it protects, so the page, its PDF and each zone's drill-down
# protect the same facts once, and a new or changed request makes a new digest at once.
_PROTECTED: TimedCache[tuple[int, str, str], DispatchReport] = TimedCache(
    seconds=lambda: 3600, max_entries=64
)


def _facts_digest(*, district_id: int, term: Term) -> str:
    facts = request_facts_for_reports(district_id=district_id, start=term.start, end=term.end)
    targets = response_targets_for_reports(district_id=district_id)
    rows = sorted(repr(sorted(fact.items())) for fact in facts)
    return hashlib.sha256(repr((rows, sorted(targets.items()))).encode()).hexdigest()


def protected_dispatch(*, district_id: int, term: Term) -> DispatchReport:
    key = (district_id, term.key, _facts_digest(district_id=district_id, term=term))
    return _PROTECTED.get(
        key, lambda: dispatch_report(district_id=district_id, start=term.start, end=term.end)
    )


def term_figures(*, district_id: int, term: Term) -> TermFigures:
    """The term's figures computed live from the requests (the chief's unsuppressed view)."""
    district = District.objects.get(pk=district_id)
    dispatch = protected_dispatch(district_id=district_id, term=term)
    return TermFigures(
        term=term,
        district=district,
        counts=dispatch.protection,
        zone_keys=dispatch.zones,
        response=dispatch.response,
        staffing=staffing(district_id=district_id, on=min(term.last_day, timezone.localdate())),
        zones=zone_shapes(district_id=district_id, on=term.last_day),
        dispatch=dispatch,
    )


# The board's tables (runs_by_category / runs_by_priority) as the published cells' dimensions.
_DIMENSION = {"runs_by_category": "category", "runs_by_priority": "priority"}


class PublishedCounts:
    """The term's published SSO run counts, from `PublishedCell`, keyed as the board's tables
    name them: (table, zone or "total", category, priority or "total")."""

    def __init__(self, rows: dict[tuple[str, str, str, str], float | None]) -> None:
        self.rows = rows  # (scope, dimension, category, stat) -> value (None: withheld)

    def value(self, scope: str, dimension: str, category: str, stat: str) -> float | None:
        return self.rows.get((scope, dimension, category, stat))

    def count(self, key: Key) -> int | None:
        table, zone, column = cast(tuple[str, str, str], key)
        scope = "district" if zone == TOTAL else f"zone:{zone}"
        value = self.value(scope, _DIMENSION[table], column, "count")
        return None if value is None else int(value)


def _figure(counts: PublishedCounts, dimension: str, category: str, stat: str) -> Figure:
    value = counts.value("district", dimension, category, stat)
    if value is not None:
        return Figure(int(value) if stat == "count" else value)
    if stat == "count":
        return Figure(None, WITHHELD)
    if counts.value("district", dimension, TOTAL, "count") is not None:
        return Figure(None)  # the count is published: no time to report (none on scene)
    return Figure(None, "built_on_suppressed")


def published_figures(*, district_id: int, term: Term) -> TermFigures:
    """The term's figures as the refresh job published them (`PublishedCell`, the term's
    period for the district and its zones): the same protected cells as the dashboard's, so
    no two publications of the term can be subtracted from each other. A term the refresh has
    not computed yet shows every count as withheld."""
    district = District.objects.get(pk=district_id)
    rows = PublishedCell.objects.filter(
        district_id=district_id,
        period=term.period,
        measure="sso_runs",
        stat__in=("count", "p50", "p90"),
    ).filter(scope__in=["district", *_zone_scopes(district_id)])
    values: dict[tuple[str, str, str, str], float | None] = {}
    zone_keys: set[str] = set()
    for scope, dimension, category, stat, value in rows.values_list(
        "scope", "dimension", "category", "stat", "value"
    ):
        values[(scope, dimension, category, stat)] = value
        if scope.startswith("zone:"):
            zone_keys.add(scope.removeprefix("zone:"))
    counts = PublishedCounts(values)
    targets = response_targets_for_reports(district_id=district_id)
    response = [
        ResponseFigures(
            priority=p,
            target_minutes=targets[p],
            count=_figure(counts, f"response_{p}", TOTAL, "count"),
            p50_minutes=_figure(counts, f"response_{p}", TOTAL, "p50"),
            p90_minutes=_figure(counts, f"response_{p}", TOTAL, "p90"),
            within_target=_figure(counts, f"response_{p}", "within", "count"),
        )
        for p in Priority.values
    ]
    # A zone with no run in the term has no row, as in the live tables.
    active = sorted(z for z in zone_keys if counts.count(("runs_by_category", z, TOTAL)) != 0)
    return TermFigures(
        term=term,
        district=district,
        counts=counts,
        zone_keys=active,
        response=response,
        staffing=staffing(district_id=district_id, on=min(term.last_day, timezone.localdate())),
        zones=zone_shapes(district_id=district_id, on=term.last_day),
    )


def _zone_scopes(district_id: int) -> list[str]:
    zone_ids = Zone.objects.filter(district_id=district_id).values_list("pk", flat=True)
    return [f"zone:{pk}" for pk in zone_ids] + [f"zone:{NO_ZONE}"]


def zone_shapes(*, district_id: int, on: dt.date) -> list[ZoneShape]:
    """Each zone of the district with the outline of the schools that belonged to it on `on`
    (the zone's current schools when it had none then)."""
    zones = list(Zone.objects.filter(district_id=district_id).order_by("name"))
    points: dict[int, list[tuple[float, float]]] = {zone.pk: [] for zone in zones}
    memberships = ZoneMembership.objects.filter(zone__district_id=district_id).select_related(
        "school"
    )
    for membership in memberships:
        ended = membership.ends_on is not None and membership.ends_on <= on
        if membership.starts_on <= on and not ended:
            school = membership.school
            points[membership.zone_id].append((school.longitude, school.latitude))
    return [
        ZoneShape(
            key=str(zone.pk),
            zone_id=zone.pk,
            name=zone.name,
            geometry=outline(points[zone.pk]) if points[zone.pk] else None,
        )
        for zone in zones
    ]


# --- Rows for the tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One published figure: its value, or None with why it is withheld."""

    value: int | float | None
    withheld: str | None = None  # WITHHELD, or "built_on_suppressed" (a statistic)
    flagged: str | None = None  # the chief's view: why the public tables hide it


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[Row]


def _published(figures: TermFigures, key: Key) -> Cell:
    count = figures.counts.count(key)
    return Cell(None, WITHHELD) if count is None else Cell(count)


def _unsuppressed(figures: TermFigures, key: Key) -> Cell:
    protection = figures.protection
    reason = protection.reason(key)
    return Cell(protection.table_set.cells[key], None, reason.value if reason else None)


def runs_table(figures: TermFigures, name: str, *, unsuppressed: bool = False) -> Table:
    """The runs of table `name` ("runs_by_category" or "runs_by_priority"): a row per zone and
    the district's, a column per category or priority and the total."""
    columns = list(Category) if name == "runs_by_category" else list(Priority)
    cell = _unsuppressed if unsuppressed else _published
    keys = [*figures.zone_keys, TOTAL]
    return Table(
        name=name,
        columns=[str(c.label) for c in columns] + [_("Total")],
        rows=[
            Row(
                key=zone,
                label=figures.zone_name(zone),
                cells=[cell(figures, (name, zone, c.value)) for c in columns]
                + [cell(figures, (name, zone, TOTAL))],
            )
            for zone in keys
        ],
    )


def zone_rows(table: Table, zone_key: str) -> Table:
    """The table narrowed to one zone's row and the district's (the monitors' drill-down: the
    same protected cells, never a table protected anew, which would open a difference)."""
    return Table(
        table.name, table.columns, [row for row in table.rows if row.key in (zone_key, TOTAL)]
    )


def _figure_cell(value: Figure) -> Cell:
    return Cell(value.value, value.withheld)


def response_table(figures: TermFigures, *, unsuppressed: bool = False) -> Table:
    """Response time per priority: target, requests on scene, p50, p90 and within target."""
    rows = []
    for item in figures.response:
        if unsuppressed:
            on_scene = _unsuppressed(figures, ("on_scene", item.priority))
            within = _unsuppressed(figures, ("within_target", item.priority))
            p50 = Cell(item.p50_minutes.value)
            p90 = Cell(item.p90_minutes.value)
        else:
            on_scene, within = _figure_cell(item.count), _figure_cell(item.within_target)
            p50, p90 = _figure_cell(item.p50_minutes), _figure_cell(item.p90_minutes)
        rows.append(
            Row(
                key=item.priority,
                label=str(Priority(item.priority).label),
                cells=[Cell(item.target_minutes), on_scene, p50, p90, within],
            )
        )
    return Table(
        name="response_time",
        columns=[
            _("Target (minutes)"),
            _("On scene"),
            _("Median minutes (p50)"),
            _("90th percentile minutes (p90)"),
            _("Within target"),
        ],
        rows=rows,
    )


def zone_totals(figures: TermFigures) -> dict[str, int | None]:
    """Each zone's published runs (None when withheld), for the map."""
    return {
        zone.key: figures.counts.count(("runs_by_category", zone.key, TOTAL))
        if zone.key in figures.zone_keys
        else 0
        for zone in figures.zones
    }


def category_totals(figures: TermFigures) -> Sequence[tuple[str, int | None]]:
    """The district's published runs per category, for the chart."""
    return [
        (str(c.label), figures.counts.count(("runs_by_category", TOTAL, c.value))) for c in Category
    ]
