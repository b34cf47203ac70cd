"""The linked tables of a sparse district (`tables.build_year`, plain Python): nearly every zone
x category cell under 10, so hidden cells form wide two-way components. The protection must
finish in a bounded number of solver calls (counted, not timed), keep the district's totals
published, and let no hidden cell be derived."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest

from safeops.dispatch.choices import DEFAULT_PRIORITY, Category
from safeops.reports import disclosure
from safeops.reports.disclosure import TableSet, derived_cells
from safeops.reports.families import SSO_RUNS
from safeops.reports.tables import DISTRICT, TOTAL, Place, build_year

ZONES = [str(i) for i in range(10)]
LEVELS = ["elementary", "middle", "high"]
SCHOOLS = {str(i): (ZONES[i % len(ZONES)], LEVELS[i % len(LEVELS)]) for i in range(15)}
RUNS_A_YEAR = 300
TARGET_MINUTES = {"p1": 5, "p2": 10, "p3": 30}


def _sparse_runs() -> list[tuple[Place, dt.date, list[tuple[str, str]], float | None]]:
    """300 SSO runs over the school year 2025-26 (July to June), as `bench/reports.py` draws
    them: 10 zones x 11 categories, under 3 a zone and category in the year, 0 or 1 a month;
    four in five reach the scene, a few over their priority's target."""
    draw = random.Random(17)
    facts = []
    for _ in range(RUNS_A_YEAR):
        school = draw.choice(sorted(SCHOOLS))
        zone, level = SCHOOLS[school]
        on = dt.date(2025, 7, 1) + dt.timedelta(days=draw.randrange(365))
        category = draw.choice(list(Category))
        priority = DEFAULT_PRIORITY[category].value
        cells = [("category", category.value), ("priority", priority)]
        minutes = draw.lognormvariate(6.2, 0.5) / 60 if draw.random() < 0.8 else None
        if minutes is not None:
            over = minutes > TARGET_MINUTES[priority]
            cells.append((f"response_{priority}", "over" if over else "within"))
        facts.append((Place(zone, level, school), on, cells, minutes))
    return facts


def test_a_sparse_district_is_protected_in_few_solver_calls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    facts = _sparse_runs()
    by_zone_category = Counter((place.zone, cells[0][1]) for place, _, cells, _ in facts)
    assert max(by_zone_category.values()) < 10  # every zone x category count of the year
    calls: list[str] = []
    for name in ("linprog", "milp"):
        solver = getattr(disclosure, name)

        def counted(*args: Any, solver: Any = solver, name: str = name, **kwargs: Any) -> Any:
            calls.append(name)
            return solver(*args, **kwargs)

        monkeypatch.setattr(disclosure, name, counted)
    tables = build_year(
        SSO_RUNS,
        first=2025,
        facts=facts,
        zones=ZONES,
        levels=LEVELS,
        schools=sorted(SCHOOLS),
        check_limit=0,  # part by part, as the refresh of a district this size runs
    )
    # 23,729 programmes (67 s) searching complements one by one in wide components before
    assert len(calls) <= 1_000
    monkeypatch.undo()
    protection = tables.protection
    small = {key for key, count in protection.table_set.cells.items() if 0 < count < 10}
    assert small <= protection.suppressed
    # the district's runs, hand-counted from the facts, stay published: in the year and each
    # term, by category and by priority (the margins; their parts hide instead)
    runs = Counter(on.month for _, on, _, _ in facts)
    fall = sum(n for month, n in runs.items() if month >= 7)  # July to December
    for period, count in (("2025-26", RUNS_A_YEAR), ("2025-26-fall", fall)):
        for dimension in ("category", "priority"):
            assert tables.count(period, DISTRICT, dimension, TOTAL) == count
    # each period's tables alone let no hidden cell be derived (the property tests check
    # the linked protection whole, on smaller sets)
    cells = protection.table_set.cells
    for period in ("2025-26", "2025-26-fall", "2025-09"):
        alone = TableSet()
        for key, count in cells.items():
            if key[0] == period:  # type: ignore[index]
                alone.add(key, count)
        for relation in protection.table_set.relations:
            if all(key in alone.cells for key in (relation.total, *relation.parts)):
                alone.relate(relation.total, relation.parts)
        hidden = protection.suppressed & alone.cells.keys()
        assert derived_cells(alone, hidden) == set(), period
