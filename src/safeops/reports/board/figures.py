"""A term's figures for the board report, the monitors' view and the chief's view, laid out as
table rows. `term_figures` is the one place that computes them (from `reports.measures` and
`reports.selectors`): swap it for a read of the precomputed aggregates and every view follows."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from safeops.core.caches import TimedCache
from safeops.core.geo import outline
from safeops.dispatch.choices import Category, Priority
from safeops.dispatch.selectors import request_facts_for_reports, response_targets_for_reports
from safeops.reports.disclosure import Figure, Key, Protection
from safeops.reports.measures import NO_ZONE, DispatchReport, dispatch_report
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


@dataclass(frozen=True)
class TermFigures:
    term: Term
    district: District
    dispatch: DispatchReport
    staffing: Staffing
    zones: list[ZoneShape]

    @property
    def protection(self) -> Protection:
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
    """The term's figures (every view reads them through this function)."""
    district = District.objects.get(pk=district_id)
    return TermFigures(
        term=term,
        district=district,
        dispatch=protected_dispatch(district_id=district_id, term=term),
        staffing=staffing(district_id=district_id, on=min(term.last_day, timezone.localdate())),
        zones=zone_shapes(district_id=district_id, on=term.last_day),
    )


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


def _published(protection: Protection, key: Key) -> Cell:
    count = protection.count(key)
    return Cell(None, WITHHELD) if count is None else Cell(count)


def _unsuppressed(protection: Protection, key: Key) -> Cell:
    reason = protection.reason(key)
    return Cell(protection.table_set.cells[key], None, reason.value if reason else None)


def runs_table(figures: TermFigures, name: str, *, unsuppressed: bool = False) -> Table:
    """The runs of table `name` ("runs_by_category" or "runs_by_priority"): a row per zone and
    the district's, a column per category or priority and the total."""
    columns = list(Category) if name == "runs_by_category" else list(Priority)
    cell = _unsuppressed if unsuppressed else _published
    keys = [*figures.dispatch.zones, TOTAL]
    return Table(
        name=name,
        columns=[str(c.label) for c in columns] + [_("Total")],
        rows=[
            Row(
                key=zone,
                label=figures.zone_name(zone),
                cells=[cell(figures.protection, (name, zone, c.value)) for c in columns]
                + [cell(figures.protection, (name, zone, TOTAL))],
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
    for item in figures.dispatch.response:
        if unsuppressed:
            on_scene = _unsuppressed(figures.protection, ("on_scene", item.priority))
            within = _unsuppressed(figures.protection, ("within_target", item.priority))
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
        zone.key: figures.protection.count(("runs_by_category", zone.key, TOTAL))
        if zone.key in figures.dispatch.zones
        else 0
        for zone in figures.zones
    }


def category_totals(figures: TermFigures) -> Sequence[tuple[str, int | None]]:
    """The district's published runs per category, for the chart."""
    return [
        (str(c.label), figures.protection.count(("runs_by_category", TOTAL, c.value)))
        for c in Category
    ]
