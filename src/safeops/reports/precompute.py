"""The refresh: every measure for every school year with data, protected, stored as
`PublishedCell` rows (the job `reports.refresh`, daily in `core.jobs.SCHEDULES`). The public
dashboard and the downloads read only those rows.

Derived figures are computed here, from the true counts, and withheld when a count they are
built on is hidden (`disclosure.figure`): p50/p90 durations (on the timed count), rates per
1,000 enrolled (on the count), relative rate indexes and their 95% interval (on the group's
and the reference group's counts), shares (on both counts).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from safeops.dispatch.models import SupportRequest
from safeops.reports import selectors as s
from safeops.reports.disclosure import Figure, figure
from safeops.reports.families import (
    ENFORCEMENT,
    FAMILIES,
    GROUPS,
    OUTCOMES,
    REFERENCE,
    REFERRALS,
    REFUSALS,
    SSO_RUNS,
    THREAT_CASES,
    TIPS,
)
from safeops.reports.models import GroupKind, PublishedCell, Refresh
from safeops.reports.periods import PeriodKind, parse_period, school_year_of, year_key, year_periods
from safeops.reports.statistics import percentile, rate_per_1000, relative_rate_index
from safeops.reports.tables import DISTRICT, TOTAL, Place, YearTables, build_year
from safeops.schools.models import School
from safeops.threats.models import Tip
from safeops.zones.models import Zone

MAX_YEARS = 6
FactReader = Callable[..., list[s.Fact]]
READERS: dict[str, FactReader] = {
    SSO_RUNS.measure: s.run_facts,
    ENFORCEMENT.measure: s.enforcement_facts,
    TIPS.measure: s.tip_facts,
    THREAT_CASES.measure: s.threat_case_facts,
    REFERRALS.measure: s.referral_facts,
}


@dataclass(frozen=True)
class Row:
    period: str
    scope: str
    measure: str
    dimension: str
    category: str
    stat: str
    figure: Figure


def report_years(*, district_id: int, today: dt.date) -> list[int]:
    """The school years from the district's first request or tip to this one (at most six)."""
    firsts = [
        model.objects.filter(district_id=district_id).aggregate(first=Min("created_at"))["first"]
        for model in (SupportRequest, Tip)
    ]
    current = school_year_of(today)
    known = [school_year_of(timezone.localtime(f).date()) for f in firsts if f is not None]
    start = max(min(known, default=current), current - MAX_YEARS + 1)
    return list(range(start, current + 1))


def year_window(first: int) -> tuple[dt.datetime, dt.datetime]:
    """The school year starting in July of `first`, as local midnights [start, end)."""
    year = year_periods(first)[0]
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(year.start, dt.time(), tzinfo=zone),
        dt.datetime.combine(year.end, dt.time(), tzinfo=zone),
    )


def family_rows(
    *, district_id: int, first: int, places: s.Places, check_limit: int = 600
) -> Iterator[Row]:
    """Every count family's published rows for the school year starting in `first`."""
    start, end = year_window(first)
    zones = [
        str(z) for z in Zone.objects.filter(district_id=district_id).values_list("pk", flat=True)
    ]
    schools = list(School.objects.filter(district_id=district_id).values_list("pk", "level"))
    levels = sorted({level for _, level in schools})
    enrolled = _enrollment(district_id=district_id, first=first, places=places)
    for family in FAMILIES:
        if family is REFUSALS:
            facts = s.refusal_facts(
                district_id=district_id, start=start.date(), end=end.date(), places=places
            )
        else:
            facts = READERS[family.measure](
                district_id=district_id, start=start, end=end, places=places
            )
        tables = build_year(
            family,
            first=first,
            facts=((Place(f.zone, f.level, f.school), f.on, f.cells, f.value) for f in facts),
            zones=zones,
            levels=levels,
            schools=[str(pk) for pk, _ in schools],
            check_limit=check_limit,
        )
        yield from _counts(tables)
        yield from _durations(tables)
        yield from _shares(tables)
        if family is ENFORCEMENT:
            yield from _rates(tables, enrolled)


def _counts(tables: YearTables) -> Iterator[Row]:
    protection = tables.protection
    for key in protection.table_set.cells:
        period, scope, dimension, category = (str(part) for part in key)  # type: ignore[attr-defined]
        count = protection.count(key)
        withheld = "" if count is not None else "suppressed"
        yield Row(
            period,
            scope,
            tables.family.measure,
            dimension,
            category,
            "count",
            Figure(count, withheld or None),
        )


def _durations(tables: YearTables) -> Iterator[Row]:
    for (period, scope, dimension, category), values in tables.durations.items():
        built_on = [(period, scope, dimension, category)]
        for stat, p in (("p50", 50), ("p90", 90)):
            value = percentile(values, p)
            yield Row(
                period,
                scope,
                tables.family.measure,
                dimension,
                category,
                stat,
                figure(tables.protection, value, built_on=built_on),
            )


# Shares published: (family, dimension, category) over that dimension's total.
SHARES = {
    TIPS.measure: [("urgency", "imminent"), ("triage", "triaged")],
    REFERRALS.measure: [("services", "started")],
    SSO_RUNS.measure: [
        ("response_p1", "within"),
        ("response_p2", "within"),
        ("response_p3", "within"),
    ],
}


def _shares(tables: YearTables) -> Iterator[Row]:
    cells = tables.protection.table_set.cells
    for dimension, category in SHARES.get(tables.family.measure, []):
        for period in tables.periods:
            for scope in tables.scopes:
                part, whole = (
                    (period.key, scope, dimension, category),
                    (period.key, scope, dimension, TOTAL),
                )
                if part not in cells or not cells.get(whole):
                    continue
                value = cells[part] / cells[whole]
                yield Row(
                    period.key,
                    scope,
                    tables.family.measure,
                    dimension,
                    category,
                    "share",
                    figure(tables.protection, value, built_on=[part, whole]),
                )


def _enrollment(
    *, district_id: int, first: int, places: s.Places
) -> dict[tuple[str, str, str], int]:
    """Students by (scope, group kind, group) in the school year (zones as on October 1)."""
    october = dt.date(first, 10, 1)
    totals: dict[tuple[str, str, str], int] = {}
    rows = s.enrollment_by_school(district_id=district_id, school_year=year_key(first))
    for (school_id, kind, group), count in rows.items():
        level = places.levels.get(school_id, s.NONE)
        for scope in (DISTRICT, f"zone:{places.zone_of(school_id, october)}", f"level:{level}"):
            key = (scope, kind, group)
            totals[key] = totals.get(key, 0) + count
    return totals


def _rates(tables: YearTables, enrolled: dict[tuple[str, str, str], int]) -> Iterator[Row]:
    cells = tables.protection.table_set.cells
    measure = tables.family.measure
    for period in tables.periods:
        for scope in tables.scopes:
            everyone = enrolled.get((scope, GroupKind.ALL.value, GroupKind.ALL.value), 0)
            for outcome in (TOTAL, *OUTCOMES):
                key = (period.key, scope, "outcome", outcome)
                if key not in cells:
                    continue
                rate = rate_per_1000(cells[key], everyone) if everyone else None
                yield Row(
                    period.key,
                    scope,
                    measure,
                    "outcome",
                    outcome,
                    "rate",
                    figure(tables.protection, rate, built_on=[key]),
                )
                if outcome == "total":
                    continue
                for kind, groups in GROUPS.items():
                    yield from _group_rates(
                        tables, enrolled, period.key, scope, outcome, kind, groups
                    )


def _group_rates(
    tables: YearTables,
    enrolled: dict[tuple[str, str, str], int],
    period: str,
    scope: str,
    outcome: str,
    kind: str,
    groups: tuple[str, ...],
) -> Iterator[Row]:
    cells = tables.protection.table_set.cells
    dimension = f"{outcome}.{kind}"
    reference = (period, scope, dimension, REFERENCE[kind])
    c, n2 = cells.get(reference, 0), enrolled.get((scope, kind, REFERENCE[kind]), 0)
    for group in groups:
        key = (period, scope, dimension, group)
        a, n1 = cells.get(key, 0), enrolled.get((scope, kind, group), 0)
        rate = rate_per_1000(a, n1) if n1 and a <= n1 else None
        yield Row(
            period,
            scope,
            tables.family.measure,
            dimension,
            group,
            "rate",
            figure(tables.protection, rate, built_on=[key]),
        )
        if group == REFERENCE[kind]:
            continue
        rri = relative_rate_index(a=a, n1=n1, c=c, n2=n2) if a <= n1 and c <= n2 else None
        values: tuple[tuple[str, float | None], ...] = (
            ("rri", rri.index if rri else None),
            ("rri_low", rri.low if rri else None),
            ("rri_high", rri.high if rri else None),
        )
        for stat, value in values:
            yield Row(
                period,
                scope,
                tables.family.measure,
                dimension,
                group,
                stat,
                figure(tables.protection, value, built_on=[key, reference]),
            )


def staff_rows(*, district_id: int, first: int, today: dt.date) -> Iterator[Row]:
    """Staffing, training, drills and facilities: schools and staff counted (nothing about a
    student), as of each year's and term's last day (today for the current one); drills as on
    November 1 of the year (the state's view)."""
    year, terms, _ = year_periods(first)
    for period in [year, *terms]:
        if period.start > today:
            continue
        on = min(period.last_day, today)
        staffing = s.staffing(district_id=district_id, on=on)
        values = {
            ("middle", "with_sa"): staffing.middle_with_sa,
            ("middle", "schools"): staffing.middle_schools,
            ("high", "with_sa"): staffing.high_with_sa,
            ("high", "schools"): staffing.high_schools,
            ("zones", "with_sso"): staffing.zones_with_sso,
            ("zones", "zones"): staffing.zones,
            ("officers", "on_roster"): s.officers_on_roster(district_id=district_id, on=on),
        }
        for (dimension, category), value in values.items():
            yield Row(period.key, DISTRICT, "staffing", dimension, category, "count", Figure(value))
        for requirement, (met, people) in s.training_compliance(
            district_id=district_id, on=on
        ).items():
            yield Row(
                period.key, DISTRICT, "training", "requirement", requirement, "count", Figure(met)
            )
            yield Row(
                period.key, DISTRICT, "training", "requirement", requirement, "of", Figure(people)
            )
        yield from _by_school_scope(
            period.key,
            "facilities",
            s.facility_scores(district_id=district_id, before=period.end),
            district_id=district_id,
            on=on,
            mean=True,
        )
    november = dt.date(first, 11, 1)
    if november <= today:
        compliant = s.drill_compliance(district_id=district_id, on=november)
        yield from _by_school_scope(
            year.key,
            "drills",
            {k: float(v) for k, v in compliant.items()},
            district_id=district_id,
            on=november,
            mean=False,
        )


def _by_school_scope(
    period: str,
    measure: str,
    values: dict[int, float],
    *,
    district_id: int,
    on: dt.date,
    mean: bool,
) -> Iterator[Row]:
    """Per-school values summed (drills: schools compliant) or averaged (facilities: the mean
    score) by district, zone and level, with how many schools each covers."""
    places = s.Places(district_id=district_id)
    grouped: dict[str, list[float]] = {}
    for school_id, value in values.items():
        level = places.levels.get(school_id, s.NONE)
        for scope in (DISTRICT, f"zone:{places.zone_of(school_id, on)}", f"level:{level}"):
            grouped.setdefault(scope, []).append(value)
    for scope, found in grouped.items():
        value = round(sum(found) / len(found), 1) if mean else sum(found)
        yield Row(
            period, scope, measure, "schools", TOTAL, "mean" if mean else "count", Figure(value)
        )
        yield Row(period, scope, measure, "schools", TOTAL, "of", Figure(len(found)))


def _period_order(key: str) -> tuple[int, int, str]:
    """Newest school year first; within a year the year, its terms, then its months."""
    period = parse_period(key)
    if period is None:  # pragma: no cover - every stored key is made by year_periods
        return (0, 0, key)
    rank = {PeriodKind.YEAR: 0, PeriodKind.TERM: 1, PeriodKind.MONTH: 2}[period.kind]
    return (-school_year_of(period.start), rank, key)


def refresh(*, district_id: int, today: dt.date | None = None, check_limit: int = 600) -> int:
    """Recompute and store every published cell of the district; returns how many."""
    started = time.monotonic()
    today = today or timezone.localdate()
    places = s.Places(district_id=district_id)
    rows: list[PublishedCell] = []
    for first in report_years(district_id=district_id, today=today):
        for row in [
            *family_rows(
                district_id=district_id, first=first, places=places, check_limit=check_limit
            ),
            *staff_rows(district_id=district_id, first=first, today=today),
        ]:
            rows.append(
                PublishedCell(
                    district_id=district_id,
                    period=row.period,
                    scope=row.scope,
                    measure=row.measure,
                    dimension=row.dimension,
                    category=row.category,
                    stat=row.stat,
                    value=row.figure.value,
                    withheld=row.figure.withheld or "",
                )
            )
    with transaction.atomic():
        PublishedCell.objects.filter(district_id=district_id).delete()
        PublishedCell.objects.bulk_create(rows, batch_size=5000)
        Refresh.objects.update_or_create(
            district_id=district_id,
            defaults={
                "finished_at": timezone.now(),
                "seconds": time.monotonic() - started,
                "cells": len(rows),
                "periods": sorted({row.period for row in rows}, key=_period_order),
            },
        )
    return len(rows)
