"""The public dashboard's reads: only the published cells (`PublishedCell`), never the facts.

`dashboard_page` gives one period and one scope (the district, a zone or a level) as sections
of tables ready to render, each table with the bar lengths of its chart; `dashboard_rows` gives
the same cells for the CSV and JSON downloads. A withheld figure carries its public reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from safeops.dispatch.choices import Priority
from safeops.dispatch.selectors import response_targets_for_reports
from safeops.reports.families import GROUPS, OUTCOMES
from safeops.reports.labels import LEVELS, label
from safeops.reports.measures import MEASURES
from safeops.reports.models import PublishedCell, Refresh
from safeops.reports.periods import PeriodKind, parse_period, school_year_of
from safeops.schools.models import District, School
from safeops.zones.models import Zone

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WITHHELD = {
    "suppressed": _("Suppressed: under 10, or would reveal a count under 10"),
    "built_on_suppressed": _("Withheld: built on a suppressed count"),
}
CellKey = tuple[str, str, str, str]  # measure, dimension, category, stat


@dataclass(frozen=True)
class Shown:
    text: str
    withheld: StrOrPromise = ""
    bar: int = 0  # the chart bar's length, 0-100


@dataclass
class Table:
    caption: StrOrPromise
    columns: list[StrOrPromise]
    rows: list[tuple[StrOrPromise, list[Shown]]] = field(default_factory=list)
    chart: bool = False  # the first column drawn as bars

    def bars(self) -> None:
        values = [_number(cells[0].text) for _, cells in self.rows if cells]
        top = max((v for v in values if v is not None), default=0)
        for index, (name, cells) in enumerate(self.rows):
            value = _number(cells[0].text)
            if top and value is not None:
                cells[0] = Shown(cells[0].text, cells[0].withheld, round(100 * value / top))
            self.rows[index] = (name, cells)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return None


@dataclass
class Section:
    key: str
    title: StrOrPromise
    definition: StrOrPromise
    tables: list[Table]


@dataclass(frozen=True)
class Choice:
    value: str
    label: StrOrPromise


@dataclass
class DashboardPage:
    district: District
    period: str
    scope: str
    periods: list[Choice]
    scopes: list[tuple[StrOrPromise, list[Choice]]]
    sections: list[Section]
    refreshed: Refresh | None


def _format(cell: PublishedCell | None) -> Shown:
    if cell is None:
        return Shown("—")
    if cell.withheld or cell.value is None:
        reason = WITHHELD.get(cell.withheld, "")
        return Shown("—" if not reason else "*", reason)
    value = cell.value
    if cell.stat == "share":
        return Shown(f"{value * 100:.0f}%")
    if cell.stat in {"count", "of"}:
        return Shown(f"{value:,.0f}")
    if cell.stat.startswith("rri"):
        return Shown(f"{value:.2f}")
    return Shown(f"{value:,.1f}")


class _Cells:
    def __init__(self, rows: Iterable[PublishedCell]) -> None:
        self.cells: dict[CellKey, PublishedCell] = {
            (c.measure, c.dimension, c.category, c.stat): c for c in rows
        }

    def shown(self, measure: str, dimension: str, category: str, stat: str = "count") -> Shown:
        return _format(self.cells.get((measure, dimension, category, stat)))

    def has(self, measure: str) -> bool:
        return any(key[0] == measure for key in self.cells)


def period_choices(periods: list[str]) -> list[Choice]:
    names = {
        PeriodKind.YEAR: _("School year %(key)s"),
        PeriodKind.TERM: _("Term %(key)s"),
        PeriodKind.MONTH: _("Month %(key)s"),
    }
    choices = []
    for key in periods:
        period = parse_period(key)
        if period is not None:
            choices.append(Choice(key, names[period.kind] % {"key": key}))
    return choices


def scope_choices(*, district_id: int) -> list[tuple[StrOrPromise, list[Choice]]]:
    zones = [
        Choice(f"zone:{pk}", name)
        for pk, name in Zone.objects.filter(district_id=district_id, active=True)
        .order_by("name")
        .values_list("pk", "name")
    ]
    levels = (
        School.objects.filter(district_id=district_id).values_list("level", flat=True).distinct()
    )
    return [
        (_("District"), [Choice("district", _("Whole district"))]),
        (_("Zones"), zones),
        (
            _("School levels"),
            [Choice(f"level:{lvl}", LEVELS.get(lvl, lvl)) for lvl in sorted(levels)],
        ),
    ]


def dashboard_page(*, district: District, period: str | None, scope: str | None) -> DashboardPage:
    """One period (default: the newest school year) and one scope (default: the district)."""
    refreshed = Refresh.objects.filter(district=district).first()
    periods = period_choices(refreshed.periods if refreshed else [])
    scopes = scope_choices(district_id=district.pk)
    known_scopes = {c.value for _, group in scopes for c in group}
    period = (
        period if period in {c.value for c in periods} else (periods[0].value if periods else "")
    )
    scope = scope if scope in known_scopes else "district"
    cells = _Cells(PublishedCell.objects.filter(district=district, period=period, scope=scope))
    sections = _sections(cells, district=district, period=period, scope=scope)
    return DashboardPage(district, period, scope, periods, scopes, sections, refreshed)


def _table(caption: StrOrPromise, columns: Sequence[StrOrPromise], chart: bool = False) -> Table:
    return Table(caption, list(columns), chart=chart)


def _sections(cells: _Cells, *, district: District, period: str, scope: str) -> list[Section]:
    sections = [
        _runs(cells, district=district, period=period, scope=scope),
        _response(cells, district_id=district.pk),
        _enforcement(cells),
        _counted(cells),
        _staff(cells),
    ]
    for section in sections:
        for table in section.tables:
            if table.chart:
                table.bars()
    return sections


def _runs(cells: _Cells, *, district: District, period: str, scope: str) -> Section:
    count = [_("Runs")]
    by_category = _table(_("SSO runs by category"), count, chart=True)
    for category in [
        k[2] for k in cells.cells if k[:2] == ("sso_runs", "category") and k[3] == "count"
    ]:
        by_category.rows.append((label(category), [cells.shown("sso_runs", "category", category)]))
    by_priority = _table(_("SSO runs by priority"), count, chart=True)
    for priority in [*Priority.values, "total"]:
        by_priority.rows.append((label(priority), [cells.shown("sso_runs", "priority", priority)]))
    tables = [by_category, by_priority, _trend(district=district, period=period, scope=scope)]
    if scope == "district":
        tables.append(_schools(district=district, period=period))
    measure = MEASURES["sso_runs"]
    return Section("sso_runs", measure.title, measure.definition, tables)


def _trend(*, district: District, period: str, scope: str) -> Table:
    """The runs of each month of the period's school year (of each school year, for a year)."""
    chosen = parse_period(period)
    table = _table(_("SSO runs, trend"), [_("Runs")], chart=True)
    refreshed = Refresh.objects.filter(district=district).first()
    if chosen is None or refreshed is None:
        return table
    year = school_year_of(chosen.start)
    keys = []
    for key in refreshed.periods:
        found = parse_period(key)
        if found is None:
            continue
        if (chosen.kind == PeriodKind.YEAR and found.kind == PeriodKind.YEAR) or (
            chosen.kind != PeriodKind.YEAR
            and found.kind == PeriodKind.MONTH
            and school_year_of(found.start) == year
        ):
            keys.append(key)
    rows = {
        c.period: c
        for c in PublishedCell.objects.filter(
            district=district,
            period__in=keys,
            scope=scope,
            measure="sso_runs",
            dimension="category",
            category="total",
            stat="count",
        )
    }
    for key in sorted(keys):
        table.rows.append((key, [_format(rows.get(key))]))
    return table


def _schools(*, district: District, period: str) -> Table:
    table = _table(_("SSO runs by school"), [_("Runs")])
    names = dict(School.objects.filter(district=district).values_list("pk", "name"))
    rows = PublishedCell.objects.filter(
        district=district,
        period=period,
        scope__startswith="school:",
        measure="sso_runs",
        stat="count",
    )
    found = sorted(
        (
            (
                names.get(int(c.scope[7:]), _("No school"))
                if c.scope[7:].isdigit()
                else _("No school"),
                c,
            )
            for c in rows
        ),
        key=lambda pair: str(pair[0]),
    )
    for name, cell in found:
        table.rows.append((name, [_format(cell)]))
    return table


def _response(cells: _Cells, *, district_id: int) -> Section:
    targets = response_targets_for_reports(district_id=district_id)
    table = _table(
        _("Response time, created to on scene (minutes)"),
        [
            _("Target"),
            _("On scene"),
            _("Median (p50)"),
            _("90th percentile (p90)"),
            _("Within target"),
        ],
    )
    for priority in Priority.values:
        dimension = f"response_{priority}"
        table.rows.append(
            (
                label(priority),
                [
                    Shown(str(targets[priority])),
                    cells.shown("sso_runs", dimension, "total"),
                    cells.shown("sso_runs", dimension, "total", "p50"),
                    cells.shown("sso_runs", dimension, "total", "p90"),
                    cells.shown("sso_runs", dimension, "within", "share"),
                ],
            )
        )
    measure = MEASURES["response_time"]
    return Section("response_time", measure.title, measure.definition, [table])


def _enforcement(cells: _Cells) -> Section:
    outcomes = _table(
        _("Citations, arrests and uses of force"),
        [_("Count"), _("Rate per 1,000 enrolled")],
        chart=True,
    )
    for outcome in [*OUTCOMES, "total"]:
        outcomes.rows.append(
            (
                label(outcome),
                [
                    cells.shown("enforcement", "outcome", outcome),
                    cells.shown("enforcement", "outcome", outcome, "rate"),
                ],
            )
        )
    tables = [outcomes]
    columns: list[StrOrPromise] = [
        _("Count"),
        _("Rate per 1,000 enrolled"),
        _("Relative rate index"),
        _("Interval at 95%, low"),
        _("Interval at 95%, high"),
    ]
    for outcome in OUTCOMES:
        for kind, groups in GROUPS.items():
            dimension = f"{outcome}.{kind}"
            table = _table(
                _("%(outcome)s by %(group)s") % {"outcome": label(outcome), "group": label(kind)},
                columns,
            )
            for group in groups:
                table.rows.append(
                    (
                        label(group),
                        [
                            cells.shown("enforcement", dimension, group, stat)
                            for stat in ("count", "rate", "rri", "rri_low", "rri_high")
                        ],
                    )
                )
            tables.append(table)
    measure = MEASURES["enforcement"]
    return Section("enforcement", measure.title, measure.definition, tables)


def _counted(cells: _Cells) -> Section:
    refusals = _table(_("Discipline matters refused, by source"), [_("Count")], chart=True)
    for category in [
        k[2] for k in cells.cells if k[:2] == ("refusals", "source") and k[3] == "count"
    ]:
        refusals.rows.append((label(category), [cells.shown("refusals", "source", category)]))
    tips = _table(_("Tips"), [_("Value")])
    tips.rows += [
        (_("Tips received"), [cells.shown("tips", "urgency", "total")]),
        (_("Imminent share"), [cells.shown("tips", "urgency", "imminent", "share")]),
        (_("Triaged"), [cells.shown("tips", "triage", "triaged")]),
        (_("Hours to triage, median"), [cells.shown("tips", "triage", "triaged", "p50")]),
        (_("Hours to triage, p90"), [cells.shown("tips", "triage", "triaged", "p90")]),
    ]
    cases = _table(_("Threat assessment cases"), [_("Count")])
    cases.rows += [
        (_("Opened"), [cells.shown("threat_cases", "cases", "opened")]),
        (_("Closed"), [cells.shown("threat_cases", "cases", "closed")]),
    ]
    referrals = _table(_("Referrals to community services"), [_("Value")])
    referrals.rows += [
        (_("Referrals made"), [cells.shown("referrals", "services", "total")]),
        (
            _("Reached services (completion)"),
            [cells.shown("referrals", "services", "started", "share")],
        ),
        (_("Days to services, median"), [cells.shown("referrals", "services", "started", "p50")]),
    ]
    return Section(
        "support",
        _("Refusals, tips, threat cases and referrals"),
        " ".join(
            str(MEASURES[k].definition) for k in ("refusals", "tips", "threat_cases", "referrals")
        ),
        [refusals, tips, cases, referrals],
    )


def _staff(cells: _Cells) -> Section:
    staffing = _table(_("Staffing"), [_("With"), _("Out of")])
    staffing.rows += [
        (
            _("Middle schools with a Safety Administrator"),
            [
                cells.shown("staffing", "middle", "with_sa"),
                cells.shown("staffing", "middle", "schools"),
            ],
        ),
        (
            _("High schools with a Safety Administrator"),
            [
                cells.shown("staffing", "high", "with_sa"),
                cells.shown("staffing", "high", "schools"),
            ],
        ),
        (
            _("Zones with an SSO"),
            [
                cells.shown("staffing", "zones", "with_sso"),
                cells.shown("staffing", "zones", "zones"),
            ],
        ),
        (
            _("Officers on the roster"),
            [cells.shown("staffing", "officers", "on_roster"), Shown("—")],
        ),
    ]
    training = _table(_("Training compliance"), [_("Meeting it"), _("Out of")])
    for key in sorted(k[2] for k in cells.cells if k[0] == "training" and k[3] == "count"):
        training.rows.append(
            (
                key,
                [
                    cells.shown("training", "requirement", key),
                    cells.shown("training", "requirement", key, "of"),
                ],
            )
        )
    schools = _table(_("Drills and facilities"), [_("Value"), _("Schools")])
    schools.rows += [
        (
            _("Schools compliant with drill rules on November 1"),
            [
                cells.shown("drills", "schools", "total"),
                cells.shown("drills", "schools", "total", "of"),
            ],
        ),
        (
            _("Facility audit score, mean of the latest audits"),
            [
                cells.shown("facilities", "schools", "total", "mean"),
                cells.shown("facilities", "schools", "total", "of"),
            ],
        ),
    ]
    return Section(
        "staffing",
        _("Staffing, training, drills and facilities"),
        " ".join(
            str(MEASURES[k].definition) for k in ("staffing", "training", "drills", "facilities")
        ),
        [staffing, training, schools],
    )


def dashboard_rows(
    *, district: District, period: str | None, scope: str | None
) -> list[PublishedCell]:
    """The published cells of the download: one period (every period when None) and one scope
    (with the schools' rows for the district scope)."""
    rows = PublishedCell.objects.filter(district=district)
    if period:
        rows = rows.filter(period=period)
    if scope and scope != "district":
        rows = rows.filter(scope=scope)
    elif scope == "district":
        rows = rows.filter(Q(scope="district") | Q(scope__startswith="school:"))
    return list(rows.order_by("period", "scope", "measure", "dimension", "category", "stat"))


def public_district() -> District:
    """The district this installation publishes (the first one)."""
    district = District.objects.order_by("pk").first()
    if district is None:
        raise Http404(_("No district is set up yet."))
    return district
