"""Disclosure control: no published table set lets a suppressed cell be worked out.

The property tests check `protect` with code of their own: each cell is written as the set of
leaf counts it adds up (not as the module's relations), and a suppressed cell counts as derived
when every completion of the leaves that matches what is published gives it the same value;
found by enumerating all integer completions for small tables, by a linear programme over the
leaves for larger ones.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from safeops.reports.disclosure import (
    Figure,
    TableSet,
    count_figure,
    derived_cells,
    feasible_range,
    figure,
    protect,
    protect_linked,
)

Leaves = dict[Any, frozenset[Any]]  # cell -> the leaves it sums
ENUMERATION_LIMIT = 300_000


def _derived_by_enumeration(
    leaves_of: Leaves, truth: Mapping[Any, int], published: Mapping[Any, int]
) -> set[Hashable] | None:
    """Hidden cells with one value over every integer completion; None when too many."""
    fixed = {leaf for cell in published for leaf in leaves_of[cell] if leaves_of[cell] == {leaf}}
    free = sorted({leaf for cells in leaves_of.values() for leaf in cells} - fixed, key=repr)
    if not free:
        return set()
    ranges = []
    for leaf in free:
        caps = [published[c] for c in published if leaf in leaves_of[c]]
        ranges.append(range(min(caps) + 1) if caps else range(truth[leaf] + 2))
    if math.prod(len(r) for r in ranges) > ENUMERATION_LIMIT:
        return None
    grid = np.array(list(itertools.product(*ranges)), dtype=np.int32).reshape(-1, len(free))
    column = {leaf: grid[:, i] for i, leaf in enumerate(free)}

    def value(cell: Hashable) -> np.ndarray:
        total = np.zeros(len(grid), dtype=np.int32)
        for leaf in leaves_of[cell]:
            total = total + (column[leaf] if leaf in column else truth[leaf])
        return total

    consistent = np.ones(len(grid), dtype=bool)
    for cell, shown in published.items():
        consistent &= value(cell) == shown
    assert consistent.any(), "the true table must be one of the completions"
    hidden = set(leaves_of) - set(published)
    return {cell for cell in hidden if len(np.unique(value(cell)[consistent])) == 1}


def _derived_by_lp(leaves_of: Leaves, published: Mapping[Any, int]) -> set[Hashable]:
    leaves = sorted({leaf for cells in leaves_of.values() for leaf in cells}, key=repr)
    position = {leaf: i for i, leaf in enumerate(leaves)}

    def indicator(cell: Hashable) -> np.ndarray:
        row = np.zeros(len(leaves))
        for leaf in leaves_of[cell]:
            row[position[leaf]] = 1
        return row

    a_eq = np.array([indicator(cell) for cell in published])
    b_eq = np.array([published[cell] for cell in published], dtype=float)
    derived = set()
    for cell in set(leaves_of) - set(published):
        low = linprog(indicator(cell), A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-indicator(cell), A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0
        if high.status == 0 and math.ceil(low.fun - 1e-6) >= math.floor(-high.fun + 1e-6):
            derived.add(cell)
    return derived


def _check(table_set: TableSet, leaves_of: Leaves, truth: Mapping[Any, int]) -> str:
    protection = protect(table_set)
    small = {cell for cell, count in table_set.cells.items() if 0 < count < 10}
    assert small <= protection.suppressed
    published = protection.published()
    derived = _derived_by_enumeration(leaves_of, truth, published)
    method = "enumeration"
    if derived is None:
        derived, method = _derived_by_lp(leaves_of, published), "lp"
    assert derived == set(), f"derivable by {method}: {derived}"
    return method


counts = st.one_of(st.integers(0, 9), st.integers(0, 30))


def _two_way(draw_counts: dict[tuple[int, int], int]) -> tuple[TableSet, Leaves]:
    table_set = TableSet()
    table_set.add_two_way("t", draw_counts)
    rows = {r for r, _ in draw_counts}
    columns = {c for _, c in draw_counts}
    leaves_of: Leaves = {("t", r, c): frozenset({(r, c)}) for r, c in draw_counts}
    for r in rows:
        leaves_of[("t", r, "total")] = frozenset((r, c) for c in columns)
    for c in columns:
        leaves_of[("t", "total", c)] = frozenset((r, c) for r in rows)
    leaves_of[("t", "total", "total")] = frozenset(draw_counts)
    return table_set, leaves_of


@st.composite
def two_way_tables(draw: st.DrawFn) -> dict[tuple[int, int], int]:
    rows = draw(st.integers(2, 3))
    columns = draw(st.integers(2, 3))
    return {(r, c): draw(counts) for r in range(rows) for c in range(columns)}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(two_way_tables())
def test_no_cell_of_a_two_way_table_can_be_derived(table: dict[tuple[int, int], int]) -> None:
    table_set, leaves_of = _two_way(table)
    _check(table_set, leaves_of, table)


@st.composite
def hierarchies_with_periods(draw: st.DrawFn) -> dict[tuple[str, str, int], int]:
    """Schools in zones, by month: {(zone, school, month): count}."""
    months = 2  # two months and their year to date keep each example under a second
    table = {}
    for zone in ("z1", "z2"):
        for school in range(draw(st.integers(1, 2))):
            for month in range(1, months + 1):
                table[(zone, f"{zone}s{school}", month)] = draw(counts)
    return table


def _hierarchy(table: dict[tuple[str, str, int], int]) -> tuple[TableSet, Leaves]:
    """Monthly counts by school, zone and district, and the same year to date."""
    months = sorted({m for _, _, m in table})
    zones: dict[str, list[str]] = {}
    for zone, school, _ in table:
        zones.setdefault(zone, [])
        if school not in zones[zone]:
            zones[zone].append(school)
    units: dict[str, frozenset[str]] = {
        school: frozenset({school}) for schools in zones.values() for school in schools
    }
    units |= {zone: frozenset(schools) for zone, schools in zones.items()}
    units["all"] = frozenset(school for schools in zones.values() for school in schools)
    leaves_of: Leaves = {}
    for unit, schools in units.items():
        for month in months:
            leaves_of[("month", unit, month)] = frozenset((s, month) for s in schools)
            leaves_of[("ytd", unit, month)] = frozenset(
                (s, m) for s in schools for m in months if m <= month
            )
    by_leaf = {(school, month): count for (_, school, month), count in table.items()}
    table_set = TableSet()
    for cell, leaves in leaves_of.items():
        table_set.add(cell, sum(by_leaf[leaf] for leaf in leaves))
    for month in months:
        for zone, members in zones.items():
            table_set.relate(("month", zone, month), [("month", s, month) for s in members])
        table_set.relate(("month", "all", month), [("month", z, month) for z in zones])
        for unit in units:
            parts = [("month", unit, month)]
            if month > months[0]:
                parts.insert(0, ("ytd", unit, month - 1))
            table_set.relate(("ytd", unit, month), parts)
    return table_set, leaves_of


@settings(max_examples=50, deadline=None, derandomize=True)
@given(hierarchies_with_periods())
def test_no_cell_of_a_hierarchy_with_periods_can_be_derived(
    table: dict[tuple[str, str, int], int],
) -> None:
    table_set, leaves_of = _hierarchy(table)
    truth = {(school, month): count for (_, school, month), count in table.items()}
    _check(table_set, leaves_of, truth)


def test_one_small_cell_in_a_two_way_table_takes_three_interior_complements() -> None:
    # a,x = 5 is primary. Hiding a,y alone leaves a,x = col x total 35 - b,x 30; the 2 x 2 block
    # a,x a,y / b,x b,y hidden under published margins leaves a,x anywhere in 0..25.
    table_set = TableSet()
    table_set.add_two_way("t", {("a", "x"): 5, ("a", "y"): 20, ("b", "x"): 30, ("b", "y"): 40})
    protection = protect(table_set)
    assert protection.primary == {("t", "a", "x")}
    assert protection.complementary == {("t", "a", "y"), ("t", "b", "x"), ("t", "b", "y")}
    assert feasible_range(table_set, protection.suppressed, ("t", "a", "x")) == (0, 25)
    assert protection.count(("t", "a", "total")) == 25


def test_the_old_one_row_convention_leaves_a_cell_derivable_across_tables() -> None:
    # Row a: 5 + 20 = 25 (core.suppression would hide 5 and 20). Column x of the same table
    # still gives a,x = 35 - 30: the solver sees it; protect() does not publish such a set.
    table_set = TableSet()
    table_set.add_two_way("t", {("a", "x"): 5, ("a", "y"): 20, ("b", "x"): 30, ("b", "y"): 40})
    convention = {("t", "a", "x"), ("t", "a", "y")}
    assert derived_cells(table_set, convention) == convention


def test_tables_sharing_cells_are_protected_together() -> None:
    # Zone z by category and zone z by priority share the zone totals.
    table_set = TableSet()
    table_set.add_two_way(
        "category",
        {("z1", "medical"): 3, ("z1", "fight"): 30, ("z2", "medical"): 12, ("z2", "fight"): 40},
    )
    table_set.add_two_way(
        "priority", {("z1", "p1"): 11, ("z1", "p2"): 22, ("z2", "p1"): 25, ("z2", "p2"): 27}
    )
    protection = protect(table_set)
    assert ("category", "z1", "medical") in protection.primary
    assert derived_cells(table_set, protection.suppressed) == set()
    # the priority table has no small cell and shares only margins that stay published
    priority_cells = {
        key for key in table_set.cells if isinstance(key, tuple) and key[0] == "priority"
    }
    assert not priority_cells & protection.suppressed


def test_inconsistent_tables_are_refused_naming_the_relation() -> None:
    table_set = TableSet()
    table_set.add("a", 3)
    table_set.add("b", 4)
    table_set.add("t", 8)
    with pytest.raises(ValueError, match=r"relation for 't': the parts sum to 7, the total is 8"):
        table_set.relate("t", ["a", "b"])
    with pytest.raises(ValueError, match="cell 'a' is 3 in one table and 5 in another"):
        table_set.add("a", 5)


def test_statistics_on_suppressed_counts_are_withheld_and_on_large_counts_shown() -> None:
    table_set = TableSet()
    table_set.add_two_way("t", {("a", "x"): 5, ("a", "y"): 20, ("b", "x"): 30, ("b", "y"): 40})
    protection = protect(table_set)
    # rate of a,x per 1,000 of 400 enrolled = 12.5, built on a suppressed count
    assert figure(protection, 12.5, built_on=[("t", "a", "x")]) == Figure(
        None, "built_on_suppressed"
    )
    # row b total 70 per 1,000 of 1,000 enrolled = 70.0: shown
    assert figure(protection, 70.0, built_on=[("t", "b", "total")]) == Figure(70.0)
    assert count_figure(protection, ("t", "b", "y")) == Figure(None, "suppressed")
    assert count_figure(protection, ("t", "total", "total")) == Figure(95)


@st.composite
def hierarchies_and_hidden(draw: st.DrawFn) -> tuple[TableSet, set[Any]]:
    """A random tree of sums (a district over zones over schools, a year over terms over
    months: one total per internal node, each cell in at most two relations) with counts and
    a random set of hidden cells."""
    table_set = TableSet()
    leaves: list[Any] = []

    def grow(node: Any, depth: int) -> int:
        width = draw(st.integers(0 if depth else 1, 4)) if depth < 3 else 0
        if width == 0:
            count = draw(counts)
            table_set.add(node, count)
            leaves.append(node)
            return count
        children = [(*node, i) for i in range(width)]
        total = sum(grow(child, depth + 1) for child in children)
        table_set.add(node, total)
        table_set.relate(node, children)
        return total

    grow(("root",), 0)
    hidden = {key for key in sorted(table_set.cells, key=repr) if draw(st.booleans())}
    return table_set, hidden


@settings(max_examples=150, deadline=None, derandomize=True)
@given(hierarchies_and_hidden())
def test_propagation_gives_the_solvers_ranges_on_hierarchies(
    drawn: tuple[TableSet, set[Any]],
) -> None:
    table_set, hidden = drawn
    for key in hidden:
        fast = feasible_range(table_set, hidden, key)
        solved = feasible_range(table_set, hidden, key, by_solver=True)
        assert fast == pytest.approx(solved, abs=1e-6), key
    assert derived_cells(table_set, hidden) == derived_cells(table_set, hidden, by_solver=True)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(hierarchies_and_hidden())
def test_no_cell_of_a_protected_hierarchy_can_be_derived(drawn: tuple[TableSet, set[Any]]) -> None:
    table_set, _hidden = drawn
    leaves_of: Leaves = {}
    for key in table_set.cells:
        below = [leaf for leaf in table_set.cells if leaf[: len(key)] == key]
        leaves_of[key] = frozenset(leaf for leaf in below if leaf not in table_set.totals)
    truth = {key: count for key, count in table_set.cells.items() if key not in table_set.totals}
    _check(table_set, leaves_of, truth)


def test_a_cell_in_no_relation_is_free_and_a_lone_hidden_part_is_derived() -> None:
    table_set = TableSet()
    for key, count in {"alone": 3, "total": 30, "a": 4, "b": 26}.items():
        table_set.add(key, count)
    table_set.relate("total", ["a", "b"])
    assert derived_cells(table_set, {"alone"}) == set()
    assert feasible_range(table_set, {"alone"}, "alone") == (0, math.inf)
    assert derived_cells(table_set, {"a"}) == {"a"}
    protection = protect(table_set)
    # the smallest complement of the one sum is hidden directly: a is then 0..30
    assert protection.suppressed == {"alone", "a", "b"}
    assert feasible_range(table_set, protection.suppressed, "a") == (0, 30)


# Sparse tables: nearly every count under 10, so the hidden cells form components too wide for
# the complement-by-complement search (disclosure._WIDE_COMPONENT); they are over-suppressed by
# parts (interior cells before the margins they add up to).
sparse_counts = st.sampled_from([0, 0, 0, 1, 1, 2, 3, 5, 8, 12, 25])


@st.composite
def sparse_two_way_tables(draw: st.DrawFn) -> dict[tuple[int, int], int]:
    rows = draw(st.integers(5, 7))
    columns = draw(st.integers(5, 6))
    return {(r, c): draw(sparse_counts) for r in range(rows) for c in range(columns)}


@settings(max_examples=30, deadline=None, derandomize=True)
@given(sparse_two_way_tables())
def test_no_cell_of_a_sparse_two_way_table_can_be_derived(
    table: dict[tuple[int, int], int],
) -> None:
    table_set, leaves_of = _two_way(table)
    protection = protect(table_set)
    small = {cell for cell, count in table_set.cells.items() if 0 < count < 10}
    assert small <= protection.suppressed
    assert _derived_by_lp(leaves_of, protection.published()) == set()


@st.composite
def sparse_linked_months(draw: st.DrawFn) -> dict[tuple[int, int, int], int]:
    """{(zone, category, month): count} for two months: each month a zone x category table
    with its margins, each cell's months adding up to its year (tables linked by their cells,
    as `tables.build_year` links them)."""
    zones = draw(st.integers(4, 5))
    categories = draw(st.integers(3, 4))
    return {
        (z, c, m): draw(sparse_counts)
        for z in range(zones)
        for c in range(categories)
        for m in (1, 2)
    }


@settings(max_examples=10, deadline=None, derandomize=True)
@given(sparse_linked_months())
def test_no_cell_of_sparse_linked_tables_can_be_derived(
    table: dict[tuple[int, int, int], int],
) -> None:
    zones = sorted({z for z, _, _ in table})
    categories = sorted({c for _, c, _ in table})
    leaves_of: Leaves = {}
    for period, months in (("m1", (1,)), ("m2", (2,)), ("year", (1, 2))):
        for zone in [*zones, "total"]:
            for category in [*categories, "total"]:
                leaves_of[(period, zone, category)] = frozenset(
                    (z, c, m)
                    for z in (zones if zone == "total" else [zone])
                    for c in (categories if category == "total" else [category])
                    for m in months
                )
    parts = []
    for period, month in (("m1", 1), ("m2", 2), ("year", None)):
        counts = {
            (z, c): sum(
                n for (zz, cc, m), n in table.items() if (zz, cc) == (z, c) and month in (None, m)
            )
            for z in zones
            for c in categories
        }
        part = TableSet()
        part.add_two_way(period, counts)
        parts.append(part)
    merged_cells = {key: count for part in parts for key, count in part.cells.items()}
    for zone in [*zones, "total"]:
        for category in [*categories, "total"]:
            chain = TableSet()
            for period in ("m1", "m2", "year"):
                chain.add((period, zone, category), merged_cells[(period, zone, category)])
            chain.relate(("year", zone, category), [("m1", zone, category), ("m2", zone, category)])
            parts.append(chain)
    protection = protect_linked(parts)
    small = {cell for cell, count in protection.table_set.cells.items() if 0 < count < 10}
    assert small <= protection.suppressed
    assert _derived_by_lp(leaves_of, protection.published()) == set()
