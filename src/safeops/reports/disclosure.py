"""Disclosure control for published tables, in plain Python (no Django).

A published table set is cells (key -> count) and linear relations between them (a total is the
sum of its parts: row, column and grand totals, subtotals of a hierarchy, a year-to-date as the
previous period's plus this one), across every table that shares cells. `protect` suppresses:

1. primary: every count from 1 to `minimum - 1` (zero has nothing to protect);
2. complementary: more cells, until no suppressed cell can be derived from what is published.
   A cell is derived when the smallest and largest values it can take, subject to the published
   counts, the relations and every cell >= 0, allow one integer only. The bounds come from a
   solver (HiGHS through scipy: a linear programme, then an integer one where the linear
   relaxation leaves room, so a derivation that only integers allow is caught too).
   Complements are chosen to hide as little as possible: a part before a total, then the
   smallest count; complements found unnecessary at the end are published again.
   A component of hidden cells too wide to search complement by complement (`_WIDE_COMPONENT`
   hidden cells: each trial re-solves it) is over-suppressed by parts instead (`_interior_step`):
   every published cell sharing a relation with an exposed cell, of the lowest height in the
   relations (a part that is no total first, then totals of parts only, ...), is hidden at once;
   a margin is hidden only when no lower cell is left to hide around the exposed cells.

A statistic built on a suppressed count (a rate, a relative rate index, a median of the
counted events) is suppressed too (`figure`). The public marker never says why a count is
hidden: telling a small cell from a complement would tell the reader it is under 10.

Over 500 lines: one algorithm (primary and complementary suppression, components, interval
propagation, block solver models, over-suppression by parts) whose steps share private state
and invariants, checked as a whole by the property tests; split, each part would be half a rule.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from scipy import sparse
from scipy.linalg import null_space
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

MINIMUM_CELL = 10
_TOLERANCE = 1e-6
_INTEGER_CHECK = 3  # an LP range this narrow (in integers) is checked with integers
_TRIES = 4  # complements tried per step before taking the most preferred
# A component of hidden cells this large is not searched complement by complement (each trial
# re-solves the whole component: the solver's worst case in a sparse district): it is
# over-suppressed by parts (`_interior_step`). A count, never wall time: the result must not
# depend on the machine's speed.
_WIDE_COMPONENT = 24

Key = Hashable


@dataclass(frozen=True)
class Relation:
    """total = sum(parts)."""

    total: Key
    parts: tuple[Key, ...]


@dataclass
class TableSet:
    cells: dict[Key, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    # The derived cells of each component of hidden cells already solved: a component's
    # cells fix its equations (a published cell sharing a relation is outside it, a hidden
    # one inside), so the greedy search re-solves only the component a trial changes.
    # Emptied by `add` and `relate`.
    memo: dict[tuple[bool, frozenset[Key]], frozenset[Key]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def add(self, key: Key, count: int) -> None:
        if count < 0:
            raise ValueError(f"cell {key!r}: a count cannot be negative ({count})")
        if key in self.cells and self.cells[key] != count:
            raise ValueError(
                f"cell {key!r} is {self.cells[key]} in one table and {count} in another"
            )
        self.cells[key] = count
        self.memo.clear()

    def relate(self, total: Key, parts: Iterable[Key]) -> None:
        relation = Relation(total, tuple(parts))
        missing = [key for key in (total, *relation.parts) if key not in self.cells]
        if missing:
            raise ValueError(f"relation for {total!r} names cells not in the set: {missing!r}")
        parts_sum = sum(self.cells[key] for key in relation.parts)
        if parts_sum != (stated := self.cells[total]):
            raise ValueError(
                f"relation for {total!r}: the parts sum to {parts_sum}, the total is {stated}"
            )
        self.relations.append(relation)
        self.memo.clear()

    def add_two_way(
        self, name: str, counts: Mapping[tuple[Any, Any], int], *, total: Key = "total"
    ) -> None:
        """A row x column table of `counts` with its row, column and grand totals, keyed
        (name, row, column) with `total` in place of a row or column for the margins."""
        rows = list(dict.fromkeys(row for row, _ in counts))
        columns = list(dict.fromkeys(column for _, column in counts))
        for (row, column), count in counts.items():
            self.add((name, row, column), count)
        for row in rows:
            self.add((name, row, total), sum(counts.get((row, c), 0) for c in columns))
        for column in columns:
            self.add((name, total, column), sum(counts.get((r, column), 0) for r in rows))
        self.add((name, total, total), sum(counts.values()))
        for row in rows:
            self.relate((name, row, total), [(name, row, c) for c in columns if (row, c) in counts])
        for column in columns:
            self.relate(
                (name, total, column), [(name, r, column) for r in rows if (r, column) in counts]
            )
        self.relate((name, total, total), [(name, r, total) for r in rows])
        self.relate((name, total, total), [(name, total, c) for c in columns])

    @property
    def totals(self) -> frozenset[Key]:
        return frozenset(relation.total for relation in self.relations)


class Reason(StrEnum):
    SMALL_CELL = "small_cell"  # primary: 1 to minimum - 1
    COMPLEMENTARY = "complementary"  # hidden so that a small cell cannot be derived


@dataclass(frozen=True)
class Protection:
    table_set: TableSet
    primary: frozenset[Key]
    complementary: frozenset[Key]

    @property
    def suppressed(self) -> frozenset[Key]:
        return self.primary | self.complementary

    def published(self) -> dict[Key, int]:
        return {
            key: count for key, count in self.table_set.cells.items() if key not in self.suppressed
        }

    def count(self, key: Key) -> int | None:
        """The count as published, or None when suppressed."""
        return None if key in self.suppressed else self.table_set.cells[key]

    def reason(self, key: Key) -> Reason | None:
        """Why a cell is hidden (internal: the public marker must not tell them apart)."""
        if key in self.primary:
            return Reason.SMALL_CELL
        return Reason.COMPLEMENTARY if key in self.complementary else None


@dataclass(frozen=True)
class Figure:
    """A published statistic, or None with the reason it is withheld."""

    value: float | int | None
    withheld: str | None = None  # "suppressed" (a count) or "built_on_suppressed"


def figure(
    protection: Protection, value: float | int | None, *, built_on: Collection[Key]
) -> Figure:
    """A statistic computed from the counts `built_on`: withheld when any of them is hidden."""
    if any(key in protection.suppressed for key in built_on):
        return Figure(None, "built_on_suppressed")
    return Figure(value)


def count_figure(protection: Protection, key: Key) -> Figure:
    count = protection.count(key)
    return Figure(None, "suppressed") if count is None else Figure(count)


def protect(
    table_set: TableSet,
    *,
    minimum: int = MINIMUM_CELL,
    hidden_already: Collection[Key] = (),
    releasable: Collection[Key] = (),
    avoid: Collection[Key] = (),
    heights: Mapping[Key, int] | None = None,
) -> Protection:
    """Suppress the small cells of `table_set` and their complements. `hidden_already`: cells
    hidden for another table that shares them; they stay hidden (counted as complementary),
    except those in `releasable`, published again when this table pins their value (a derived
    cell protects nothing). `avoid`: cells not to hide as complements while others can be.
    `heights`: each cell's height in the relations of every table it is part of (`_heights`
    of their union: a total here may be a part in another table), for `_interior_step`."""
    cells = table_set.cells
    primary = {key for key, count in cells.items() if 0 < count < minimum}
    forced = set(hidden_already) - primary
    hidden = primary | forced
    order = _preference(table_set)
    # Optional cells: the releasable cells hidden for other tables, and the zeros hidden by
    # parts around wide components (`_interior_step`). While they can be derived they are not
    # protected; those still derived at the end protect nothing and are published again (a
    # derived cell adds an equation the rest already implies: no other cell's range changes).
    # A non-zero count hidden by parts is protected in turn (its own parts are hidden next),
    # so that a margin is not hidden while parts around are left. Cells hidden by parts are
    # not published again one by one at the end (each trial would re-solve a wide component).
    interior: set[Key] = set()
    optional = forced & set(releasable)
    avoided = set(avoid)
    exposed = derived_cells(table_set, hidden)
    while need := exposed - optional - {key for key in interior if cells[key] == 0}:
        optional |= {key for key in interior if cells[key] == 0}
        if wide := _in_wide_components(table_set, hidden, need):
            heights = heights if heights is not None else _heights(table_set)
            if by_parts := _interior_step(table_set, hidden, wide, heights):
                hidden |= by_parts
                interior |= by_parts
                exposed = derived_cells(table_set, hidden)
                continue
        unwanted = hidden | avoided
        candidates = sorted(_neighbours(table_set, need) - unwanted, key=order)
        if not candidates:
            candidates = sorted(_neighbours(table_set, hidden) - unwanted, key=order)
        if not candidates:
            candidates = sorted(_neighbours(table_set, hidden) - hidden, key=order)
        if not candidates:  # pragma: no cover - hiding every related cell always protects
            raise RuntimeError(f"cells {need!r} cannot be protected")
        chosen, exposed = _next_complement(
            table_set, hidden, need, candidates, order, optional=optional
        )
        hidden.update(chosen)
    hidden -= exposed  # optional cells still derived
    # Publish again any complement the others make unnecessary, the largest first.
    for key in sorted(hidden - primary - forced - interior, key=order, reverse=True):
        if not _any_derived(table_set, hidden - {key}):
            hidden.discard(key)
    return Protection(table_set, frozenset(primary), frozenset(hidden - primary))


def _in_wide_components(table_set: TableSet, hidden: set[Key], exposed: set[Key]) -> set[Key]:
    """The `exposed` cells whose component has at least `_WIDE_COMPONENT` hidden cells."""
    if len(hidden) < _WIDE_COMPONENT:
        return set()
    system = _System(table_set, hidden)
    return {key for key in exposed if len(system.component_of(key).keys) >= _WIDE_COMPONENT}


def _heights(table_set: TableSet) -> dict[Key, int]:
    """Each cell's height in the relations: 0 for a cell that is no relation's total (an
    interior cell: a category of a zone, a month), else one more than its highest part (a
    zone's total 1, the district's total of zones 2). A cycle of totals counts as height 0."""
    parts_of: dict[Key, list[Key]] = {}
    for relation in table_set.relations:
        parts_of.setdefault(relation.total, []).extend(relation.parts)
    heights: dict[Key, int] = {}
    for top in parts_of:
        stack: list[tuple[Key, bool]] = [(top, False)]
        on_path: set[Key] = set()
        while stack:
            key, expanded = stack.pop()
            if key in heights:
                continue
            if expanded:
                on_path.discard(key)
                heights[key] = 1 + max((heights.get(p, 0) for p in parts_of[key]), default=-1)
                continue
            on_path.add(key)
            stack.append((key, True))
            stack.extend(
                (part, False)
                for part in parts_of[key]
                if part in parts_of and part not in heights and part not in on_path
            )
    return heights


def _interior_step(
    table_set: TableSet, hidden: set[Key], exposed: set[Key], heights: Mapping[Key, int]
) -> set[Key]:
    """Over-suppression by parts around exposed cells of a wide component: every published cell
    sharing a relation with one of them (failing any, with any hidden cell of their
    components) of the lowest (height, is zero): interior cells before the margins they add up
    to, so a total is hidden only when no part around is left to hide; a non-zero count before
    a zero (a hidden zero can only rise). Empty when nothing is left to hide."""
    candidates = _neighbours(table_set, exposed) - hidden
    if not candidates:
        system = _System(table_set, hidden)
        around = {k for key in exposed for k in system.component_of(key).keys}
        candidates = _neighbours(table_set, around) - hidden
    if not candidates:
        return set()

    def rank(key: Key) -> tuple[int, bool]:
        return heights.get(key, 0), table_set.cells[key] == 0

    lowest = min(rank(key) for key in candidates)
    return {key for key in candidates if rank(key) == lowest}


def _next_complement(
    table_set: TableSet,
    hidden: set[Key],
    exposed: set[Key],
    candidates: list[Key],
    order: Callable[[Key], tuple[bool, bool, int, str]],
    *,
    optional: Collection[Key] = (),
) -> tuple[tuple[Key, ...], set[Key]]:
    """The most preferred cell (parts before totals, smallest first) whose hiding leaves fewer
    cells derivable (`optional` ones not counted); failing one, the most preferred such pair;
    failing that, the first cell. Returns the chosen cells and every cell then derived."""
    tried = candidates[:_TRIES]
    singles = [(c,) for c in tried]
    pairs = sorted(
        itertools.combinations(tried, 2),
        key=lambda pair: (
            sum(order(c)[0] for c in pair),
            sum(order(c)[1] for c in pair),
            sum(order(c)[2] for c in pair),
        ),
    )
    for chosen in [*singles, *pairs]:
        after = derived_cells(table_set, hidden | set(chosen))
        if len(after.difference(optional)) < len(exposed):
            return chosen, after
    return (candidates[0],), derived_cells(table_set, hidden | {candidates[0]})


def _preference(table_set: TableSet) -> Callable[[Key], tuple[bool, bool, int, str]]:
    """Parts before totals; non-zero counts before zeros (a hidden zero can only be larger, so
    it protects on one side only and leaves ranges the solver must measure); smallest first."""
    totals = table_set.totals
    return lambda key: (
        key in totals,
        table_set.cells[key] == 0,
        table_set.cells[key],
        repr(key),
    )


def _neighbours(table_set: TableSet, keys: Collection[Key]) -> set[Key]:
    found: set[Key] = set()
    for relation in table_set.relations:
        members = (relation.total, *relation.parts)
        if any(key in keys for key in members):
            found.update(members)
    return found


def derived_cells(
    table_set: TableSet, hidden: Collection[Key], *, by_solver: bool = False
) -> set[Key]:
    """The hidden cells whose value the published cells and relations pin to one integer
    (`by_solver`: every range measured by HiGHS, even where propagation is exact; for tests)."""
    return _System(table_set, hidden).derived_all(by_solver=by_solver)


def _any_derived(table_set: TableSet, hidden: Collection[Key]) -> bool:
    return bool(_System(table_set, hidden).derived_all(stop_at_first=True))


def feasible_range(
    table_set: TableSet, hidden: Collection[Key], key: Key, *, by_solver: bool = False
) -> tuple[float, float]:
    """The smallest and largest value of hidden cell `key` given everything else published."""
    component = _System(table_set, hidden).component_of(key)
    if component.acyclic and not by_solver and (ranges := component.propagate()) is not None:
        return ranges[key]
    return component.bounds(key, integer=False)


def _pinned(low: float, high: float) -> bool:
    return math.isfinite(high) and math.ceil(low - _TOLERANCE) >= math.floor(high + _TOLERANCE)


Equation = tuple[dict[Key, int], int]  # sum(coefficient * cell) == constant, over hidden cells


class _System:
    """The relations as equations over the hidden cells (A x = b, x >= 0), split into
    independent components: cells linked by no equation, directly or through other hidden
    cells, cannot tell anything about each other, so each component is solved alone."""

    def __init__(self, table_set: TableSet, hidden: Collection[Key]) -> None:
        hidden = set(hidden)
        cells = table_set.cells
        equations: list[Equation] = []
        for relation in table_set.relations:
            if relation.total not in hidden and not any(p in hidden for p in relation.parts):
                continue
            coefficients: dict[Key, int] = {}
            constant = 0
            for key, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
                if key in hidden:
                    coefficients[key] = coefficients.get(key, 0) + sign
                else:
                    constant -= sign * cells[key]
            coefficients = {key: c for key, c in coefficients.items() if c}
            if coefficients:
                equations.append((coefficients, constant))
        # Union-find of hidden cells through the equations.
        parent = {key: key for key in hidden}

        def root(key: Key) -> Key:
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        for coefficients, _constant in equations:
            first, *others = coefficients
            for other in others:
                a, b = root(first), root(other)
                if a != b:
                    parent[b] = a
        members: dict[Key, list[Key]] = {}
        for key in hidden:
            members.setdefault(root(key), []).append(key)
        grouped: dict[Key, list[Equation]] = {}
        for equation in equations:
            grouped.setdefault(root(next(iter(equation[0]))), []).append(equation)
        self.components = {
            top: _Component(keys, grouped.get(top, []), cells) for top, keys in members.items()
        }
        self._root = root
        self.memo = table_set.memo

    def component_of(self, key: Key) -> _Component:
        return self.components[self._root(key)]

    def derived_all(self, *, stop_at_first: bool = False, by_solver: bool = False) -> set[Key]:
        found: set[Key] = set()
        for component in self.components.values():
            memo_key = (by_solver, frozenset(component.keys))
            if (known := self.memo.get(memo_key)) is None:
                known = self.memo[memo_key] = frozenset(component.derived(by_solver=by_solver))
            found |= known
            if found and stop_at_first:
                break
        return found


class _Component:
    """Hidden cells linked by equations. When the equations form no cycle (each pair shares
    at most one cell, and no chain of them comes back: a hierarchy of sums, a chain of periods,
    one total over its parts) and every coefficient is +-1, propagating each cell's interval
    through the equations until nothing changes gives its exact range, and every integer in
    it is reachable: no solver is needed. Otherwise HiGHS measures the ranges (`bounds`)."""

    def __init__(self, keys: list[Key], equations: list[Equation], cells: Mapping[Key, int]):
        self.keys = sorted(keys, key=repr)
        self.equations = equations
        self.cells = cells
        incidences = sum(len(coefficients) for coefficients, _ in equations)
        self.acyclic = incidences == len(self.keys) + len(equations) - 1 and all(
            abs(c) == 1 for coefficients, _ in equations for c in coefficients.values()
        )

    def derived(self, *, by_solver: bool = False) -> set[Key]:
        if not self.equations:
            return set()  # in no relation with a published cell: anything from 0 up
        if self.acyclic and not by_solver:
            ranges = self.propagate()
            if ranges is not None:
                return {key for key, (low, high) in ranges.items() if _pinned(low, high)}
        return self._derived_by_solver()

    def propagate(self) -> dict[Key, tuple[float, float]] | None:
        """Each cell's range by interval propagation (exact on an acyclic component); None when
        it does not settle (it always does on a tree: kept as a guard)."""
        low = dict.fromkeys(self.keys, 0.0)
        high = dict.fromkeys(self.keys, math.inf)
        for _sweep in range(2 * len(self.equations) + 4):
            changed = False
            for coefficients, constant in self.equations:
                # sum(c * x) == constant: the others' smallest and largest sums, with the
                # number of unbounded terms kept apart (inf - inf never arises).
                lows, highs = 0.0, 0.0
                low_inf, high_inf = 0, 0
                for key, c in coefficients.items():
                    if c > 0:
                        lows += low[key]
                        if math.isinf(high[key]):
                            high_inf += 1
                        else:
                            highs += high[key]
                    else:
                        highs -= low[key]
                        if math.isinf(high[key]):
                            low_inf += 1
                        else:
                            lows -= high[key]
                for key, c in coefficients.items():
                    own_low = low[key] if c > 0 else -high[key]
                    own_high = high[key] if c > 0 else -low[key]
                    own_low_inf = c < 0 and math.isinf(high[key])
                    own_high_inf = c > 0 and math.isinf(high[key])
                    rest_low = (
                        -math.inf
                        if low_inf - own_low_inf
                        else lows - (0 if own_low_inf else own_low)
                    )
                    rest_high = (
                        math.inf
                        if high_inf - own_high_inf
                        else highs - (0 if own_high_inf else own_high)
                    )
                    # c * x == constant - rest
                    if c > 0:
                        new_low, new_high = constant - rest_high, constant - rest_low
                    else:
                        new_low, new_high = rest_low - constant, rest_high - constant
                    if new_low > low[key] + _TOLERANCE:
                        low[key], changed = new_low, True
                    if new_high < high[key] - _TOLERANCE:
                        high[key], changed = new_high, True
            if not changed:
                return {key: (low[key], high[key]) for key in self.keys}
        return None  # pragma: no cover - a tree settles within its diameter

    # --- the solver, for components with cycles (two-way tables, two hierarchies) -----------

    def _matrix(self) -> tuple[np.ndarray, np.ndarray, dict[Key, int]]:
        index = {key: i for i, key in enumerate(self.keys)}
        a = np.zeros((len(self.equations), len(self.keys)))
        for row, (coefficients, _constant) in enumerate(self.equations):
            for key, c in coefficients.items():
                a[row, index[key]] = c
        b = np.array([float(constant) for _, constant in self.equations])
        return a, b, index

    def _derived_by_solver(self) -> set[Key]:
        a, b, index = self._matrix()
        truth = np.array([float(self.cells[key]) for key in self.keys])
        null = null_space(a)
        found: set[Key] = set()
        narrow: list[Key] = []
        for key in self.keys:
            room = _room_along_null_space(null, truth, index[key])
            if room is None:
                found.add(key)  # the relations fix the cell linearly
            elif room <= _INTEGER_CHECK:
                narrow.append(key)
        if not narrow:
            return found
        ranges = _batched_ranges(a, b, [index[key] for key in narrow], integer=False)
        # Integrality can close a narrow range the relaxation leaves open (tables that are
        # not the totals of a single hierarchy): ask the integer programme too.
        check = []
        for key, (low, high) in zip(narrow, ranges, strict=True):
            if _pinned(low, high):
                found.add(key)
            elif math.isfinite(high) and math.floor(high) - math.ceil(low) <= _INTEGER_CHECK:
                check.append(key)
        if check:
            integer = _batched_ranges(a, b, [index[key] for key in check], integer=True)
            found.update(key for key, span in zip(check, integer, strict=True) if _pinned(*span))
        return found

    def bounds(self, key: Key, *, integer: bool) -> tuple[float, float]:
        if not self.equations:
            return 0.0, math.inf
        a, b, index = self._matrix()
        return _bounds(a, b, index[key], integer=integer)


def _room_along_null_space(null: np.ndarray, truth: np.ndarray, i: int) -> int | None:
    """A quick certificate, before any solver: moving the true table along the null space
    direction that changes cell `i` most, as far as every cell stays >= 0: how many integer
    values the cell takes beyond one (None: the relations fix the cell linearly)."""
    direction = null @ null[i]
    if direction[i] < _TOLERANCE:
        return None
    falling, rising = direction < -_TOLERANCE, direction > _TOLERANCE
    up = float(np.min(truth[falling] / -direction[falling])) if falling.any() else math.inf
    down = float(np.min(truth[rising] / direction[rising])) if rising.any() else math.inf
    if not math.isfinite(up):
        return _INTEGER_CHECK + 1
    low = truth[i] - down * direction[i]
    high = truth[i] + up * direction[i]
    return int(math.floor(high + _TOLERANCE) - math.ceil(low - _TOLERANCE))


def _rising(a: np.ndarray, columns: list[int]) -> set[int]:
    """The `columns` that can grow without bound on {x >= 0 : A x = b}: those some direction
    r >= 0 with A r = 0 raises (the polyhedron's recession cone). One linear programme:
    maximise the sum of z_j, 0 <= z_j <= 1, z_j <= r_j; directions add up within the cone, so
    every column that can rise reaches z_j = 1 and the others stay at 0."""
    n, k = a.shape[1], len(columns)
    below = np.zeros((k, n + k))
    for j, column in enumerate(columns):
        below[j, column] = -1.0
        below[j, n + j] = 1.0
    result = linprog(
        np.concatenate([np.zeros(n), -np.ones(k)]),
        A_ub=below,
        b_ub=np.zeros(k),
        A_eq=np.hstack([a, np.zeros((a.shape[0], k))]),
        b_eq=np.zeros(a.shape[0]),
        bounds=[(0, None)] * n + [(0, 1)] * k,
        method="highs",
    )
    if not result.success:  # pragma: no cover - r = 0 is always a solution
        raise RuntimeError(f"the direction programme failed: {result.message}")
    return {column for j, column in enumerate(columns) if result.x[n + j] > 0.5}


def _batched_ranges(
    a: np.ndarray,
    b: np.ndarray,
    columns: list[int],
    *,
    integer: bool,
    unbounded: frozenset[int] | None = None,
) -> list[tuple[float, float]]:
    """The smallest and largest value of each of `columns`, from one HiGHS model: the system
    repeated once per optimum wanted (block diagonal, the blocks independent), each block's
    objective one cell's value (min) or its negative (max); the sum is optimal only when every
    block is. An unbounded block makes the whole model unbounded: then one programme finds the
    cells that can grow without bound (`_rising`) and the model is built again without their
    maxima (`unbounded`); failing that, each cell alone."""
    n = a.shape[1]
    blocks = 2 * len(columns)
    objective = np.zeros(blocks * n)
    for k, column in enumerate(columns):
        objective[2 * k * n + column] = 1.0
        if unbounded is None or column not in unbounded:
            objective[(2 * k + 1) * n + column] = -1.0
    rows, cols = np.nonzero(a)
    offsets = np.arange(blocks)
    matrix = sparse.csr_array(
        (
            np.tile(a[rows, cols], blocks),
            (
                (rows[None, :] + offsets[:, None] * a.shape[0]).ravel(),
                (cols[None, :] + offsets[:, None] * n).ravel(),
            ),
        ),
        shape=(blocks * a.shape[0], blocks * n),
    )
    result = _solve(matrix, np.tile(b, blocks), objective, integer)
    if result.status == 3 and unbounded is None:
        rising = frozenset(_rising(a, columns))
        return _batched_ranges(a, b, columns, integer=integer, unbounded=rising)
    if result.status == 3 or (integer and result.status != 0):
        return [_bounds(a, b, column, integer=integer) for column in columns]
    if not result.success:
        raise RuntimeError(f"the published table set is inconsistent: {result.message}")
    x = result.x
    return [
        (
            float(x[2 * k * n + column]),
            math.inf
            if unbounded is not None and column in unbounded
            else float(x[(2 * k + 1) * n + column]),
        )
        for k, column in enumerate(columns)
    ]


def _bounds(a: np.ndarray, b: np.ndarray, column: int, *, integer: bool) -> tuple[float, float]:
    objective = np.zeros(a.shape[1])
    objective[column] = 1.0
    return _optimum(a, b, objective, integer), -_optimum(a, b, -objective, integer)


def _solve(a: Any, b: np.ndarray, objective: np.ndarray, integer: bool) -> Any:
    """HiGHS on `a x = b`, x ≥ 0 (whole numbers when `integer`), minimising `objective`."""
    if integer:
        return milp(
            objective,
            constraints=[LinearConstraint(a, b, b)],
            integrality=np.ones(len(objective)),
            bounds=Bounds(0, np.inf),
        )
    return linprog(objective, A_eq=a, b_eq=b, bounds=(0, None), method="highs")


def _optimum(a: np.ndarray, b: np.ndarray, objective: np.ndarray, integer: bool) -> float:
    result = _solve(a, b, objective, integer)
    if result.status == 3:
        return -math.inf  # unbounded below means the maximum is unbounded
    if not result.success:
        raise RuntimeError(f"the published table set is inconsistent: {result.message}")
    return float(result.fun)


def protect_linked(
    parts: Sequence[TableSet], *, minimum: int = MINIMUM_CELL, check_limit: int = 600
) -> Protection:
    """Protect tables that share cells (a period's scopes and categories; one cell across a
    year's months, terms and year) one part at a time, each part given every cell hidden so
    far, until no part hides more. Then, when the whole set has at most `check_limit` hidden
    cells, the solver checks it whole and hides more if parts together still give a cell
    away (two parts can each leave a range that only their intersection pins), and publishes
    again the complements the whole set does not need."""
    merged = TableSet()
    for part in parts:
        for key, count in part.cells.items():
            merged.add(key, count)
        merged.relations.extend(part.relations)
    primary = {key for key, count in merged.cells.items() if 0 < count < minimum}
    hidden = set(primary)
    # Complements another part pins are published again, once each (a derived cell protects
    # nothing), and then not chosen as complements while another cell will do.
    released: set[Key] = set()
    heights = _heights(merged)
    seen: dict[int, frozenset[Key]] = {}  # each part's hidden cells when it was last protected
    changed = True
    while changed:
        changed = False
        for index, part in enumerate(parts):
            mine = frozenset(key for key in part.cells if key in hidden)
            if not mine or seen.get(index) == mine:
                continue
            seen[index] = mine
            now = protect(
                part,
                minimum=minimum,
                hidden_already=mine,
                releasable=mine - released,
                avoid=released,
                heights=heights,
            ).suppressed
            if gone := mine - now:
                hidden -= gone
                released |= gone
                changed = True
            if more := now - hidden:
                hidden |= more
                changed = True
    if len(hidden) <= check_limit:
        if derived_cells(merged, hidden):
            hidden |= protect(merged, minimum=minimum, hidden_already=hidden).suppressed
        hidden = _publish_again(merged, hidden, primary)
    return Protection(merged, frozenset(primary), frozenset(hidden - primary))


def _publish_again(table_set: TableSet, hidden: set[Key], primary: set[Key]) -> set[Key]:
    """Parts chose their complements without seeing each other: publish again each complement
    (the largest first) together with every complement its publication gives away, as long as
    no small cell can then be derived, so that no suppressed cell is derivable at the end."""
    for key in sorted(hidden - primary, key=_preference(table_set), reverse=True):
        if key not in hidden:
            continue
        trial = hidden - {key}
        while found := derived_cells(table_set, trial):
            if found & primary:
                break
            trial -= found
        else:
            hidden = trial
    return hidden
