"""The count measures as linked tables (plain Python, no Django): facts are counted by period
(a school year, its terms, its months) and scope (the district, each zone, each level, each
school), the tables' relations declared, and the whole year protected together
(`disclosure.protect_linked`). What each family counts is in `families.py`.

Relations of one family in one school year (each is `total = sum(parts)`):
- within a period and scope: a dimension's total is the sum of its categories; a dimension's
  total can be declared equal to another cell (`Dimension.total_is`: the priorities of the SSO
  runs add up to the same runs as the categories);
- across scopes: the district's cell is the sum of the zones' cells and of the levels' cells
  (facts outside every zone or school count in `zone:none` / `level:none`); the district's
  total of the first dimension is the sum of the schools' totals;
- across periods: the year is the sum of its terms, a term the sum of its months.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from safeops.reports.disclosure import Key, Protection, TableSet, protect_linked
from safeops.reports.periods import Period, year_periods

DISTRICT = "district"
TOTAL = "total"


@dataclass(frozen=True)
class Dimension:
    name: str
    categories: tuple[str, ...]
    total: bool = True
    total_is: tuple[str, str] | None = None  # (dimension, category) this total equals


@dataclass(frozen=True)
class Family:
    measure: str
    dimensions: tuple[Dimension, ...]
    # (dimension, category) whose facts' durations give p50 and p90, built on that count
    timed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Place:
    zone: str
    level: str
    school: str


@dataclass
class YearTables:
    """One family's protected tables for one school year."""

    family: Family
    periods: list[Period]
    scopes: list[str]
    protection: Protection
    durations: dict[tuple[str, str, str, str], list[float]] = field(default_factory=dict)

    def count(self, period: str, scope: str, dimension: str, category: str) -> int | None:
        return self.protection.count((period, scope, dimension, category))


def build_year(
    family: Family,
    *,
    first: int,
    facts: Iterable[tuple[Place, dt.date, Sequence[tuple[str, str]], float | None]],
    zones: Iterable[str],
    levels: Iterable[str],
    schools: Iterable[str],
    check_limit: int = 600,
) -> YearTables:
    year, terms, months_of = year_periods(first)
    months = [m for term in terms for m in months_of[term.key]]
    term_of = {m.key: term.key for term in terms for m in months_of[term.key]}
    month_keys = {(m.start.year, m.start.month): m.key for m in months}
    leaves: Counter[tuple[str, Place, str, str]] = Counter()
    durations: dict[tuple[str, str, str, str], list[float]] = defaultdict(list)
    timed = set(family.timed)
    categories = {d.name: list(d.categories) for d in family.dimensions}
    for place, on, cells, value in facts:
        month = month_keys.get((on.year, on.month))
        if month is None:
            continue
        for dimension, category in cells:
            if dimension not in categories:
                continue
            if category not in categories[dimension]:
                categories[dimension].append(category)
            leaves[(month, place, dimension, category)] += 1
            if value is not None and (
                (dimension, category) in timed or (dimension, TOTAL) in timed
            ):
                key = category if (dimension, category) in timed else TOTAL
                for at in (month, term_of[month], year.key):
                    for where in (DISTRICT, f"zone:{place.zone}", f"level:{place.level}"):
                        durations[(at, where, dimension, key)].append(value)
    zone_scopes = sorted({f"zone:{z}" for z in zones} | {f"zone:{p.zone}" for _, p, _, _ in leaves})
    level_scopes = sorted(
        {f"level:{v}" for v in levels} | {f"level:{p.level}" for _, p, _, _ in leaves}
    )
    school_scopes = sorted(
        {f"school:{s}" for s in schools} | {f"school:{p.school}" for _, p, _, _ in leaves}
    )
    counts: Counter[Key] = Counter()
    first_dimension = family.dimensions[0].name
    totals = {d.name for d in family.dimensions if d.total}
    for (month, place, name, category), n in leaves.items():
        for at in (month, term_of[month], year.key):
            for where in (DISTRICT, f"zone:{place.zone}", f"level:{place.level}"):
                counts[(at, where, name, category)] += n
                if name in totals:
                    counts[(at, where, name, TOTAL)] += n
            if name == first_dimension and name in totals:
                counts[(at, f"school:{place.school}", name, TOTAL)] += n
    periods = [year, *terms, *months]
    shared = [DISTRICT, *zone_scopes, *level_scopes]
    names = {
        d.name: [*categories[d.name], *([TOTAL] if d.total else [])] for d in family.dimensions
    }
    parts: list[TableSet] = []
    for period in periods:
        for each in family.dimensions:
            parts.append(_period_part(counts, period.key, each, names, zone_scopes, level_scopes))
        if first_dimension in totals:
            part = TableSet()
            keys = [(period.key, s, first_dimension, TOTAL) for s in [DISTRICT, *school_scopes]]
            for school_key in keys:
                part.add(school_key, counts[school_key])
            part.relate(keys[0], keys[1:])
            parts.append(part)
    # Across periods: one small table per scope, dimension and category.
    chains = [(s, d.name, c) for s in shared for d in family.dimensions for c in names[d.name]]
    if first_dimension in totals:
        chains += [(s, first_dimension, TOTAL) for s in school_scopes]
    for scope, dimension_name, category in chains:
        ladder = TableSet()
        cell = {p.key: (p.key, scope, dimension_name, category) for p in periods}
        for chain_key in cell.values():
            ladder.add(chain_key, counts[chain_key])
        ladder.relate(cell[year.key], [cell[t.key] for t in terms])
        for term in terms:
            ladder.relate(cell[term.key], [cell[m.key] for m in months_of[term.key]])
        parts.append(ladder)
    protection = protect_linked(parts, check_limit=check_limit)
    return YearTables(family, periods, [*shared, *school_scopes], protection, dict(durations))


def _period_part(
    counts: Counter[Key],
    period: str,
    dimension: Dimension,
    names: dict[str, list[str]],
    zone_scopes: list[str],
    level_scopes: list[str],
) -> TableSet:
    """One dimension of one period: every shared scope's categories and total, each total the
    sum of its categories (or equal to the cell `total_is` names), the district the sum of the
    zones and of the levels."""
    part = TableSet()
    shared = [DISTRICT, *zone_scopes, *level_scopes]
    for scope in shared:
        for category in names[dimension.name]:
            key = (period, scope, dimension.name, category)
            part.add(key, counts[key])
        if dimension.total_is is not None:
            other = (period, scope, *dimension.total_is)
            part.add(other, counts[other])
    categories = [c for c in names[dimension.name] if c != TOTAL]
    for scope in shared:
        if dimension.total:
            total = (period, scope, dimension.name, TOTAL)
            part.relate(total, [(period, scope, dimension.name, c) for c in categories])
            if dimension.total_is is not None:
                part.relate(total, [(period, scope, *dimension.total_is)])
    for category in names[dimension.name]:
        district = (period, DISTRICT, dimension.name, category)
        for scopes in (zone_scopes, level_scopes):
            part.relate(district, [(period, s, dimension.name, category) for s in scopes])
    return part
