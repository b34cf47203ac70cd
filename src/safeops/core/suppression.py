"""Small-cell suppression for aggregate reports: a count under the threshold is never shown.

A suppressed cell shows as `SUPPRESSED` ("<10"). Rates and shares computed from a suppressed
count are suppressed too. When a table shows a total, one suppressed cell could be worked out
by subtraction, so the next smallest cell is suppressed as well (complementary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MINIMUM_CELL = 10
SUPPRESSED = "<10"


def is_shown(count: int, *, minimum: int = MINIMUM_CELL) -> bool:
    """Whether a count may be shown: zero (nothing to protect) or at least `minimum`."""
    return count == 0 or count >= minimum


def shown(count: int, *, minimum: int = MINIMUM_CELL) -> int | str:
    """The count, or the suppression marker."""
    return count if is_shown(count, minimum=minimum) else _marker(minimum)


def _marker(minimum: int) -> str:
    return SUPPRESSED if minimum == MINIMUM_CELL else f"<{minimum}"


@dataclass(frozen=True)
class Cell:
    key: str
    value: int | str  # the count, or the marker
    rate: float | str | None  # per `per` of the denominator, or the marker, or None (unknown)


def suppress_row(
    counts: Mapping[str, int],
    *,
    total_shown: bool = True,
    denominators: Mapping[str, int] | None = None,
    per: int = 1000,
    minimum: int = MINIMUM_CELL,
) -> list[Cell]:
    """Suppress one row (or column) of counts. With `total_shown`, complementary suppression
    keeps a lone suppressed cell from being derived from the total. A rate is shown only when
    its count and its denominator are both shown."""
    hidden = {key for key, count in counts.items() if not is_shown(count, minimum=minimum)}
    if total_shown and len(hidden) == 1:
        candidates = sorted(
            (count, key) for key, count in counts.items() if key not in hidden and count > 0
        )
        if candidates:
            hidden.add(candidates[0][1])
    cells = []
    for key, count in counts.items():
        marker = _marker(minimum)
        value: int | str = marker if key in hidden else count
        rate: float | str | None = None
        if denominators is not None and denominators.get(key):
            denominator = denominators[key]
            if key in hidden or not is_shown(denominator, minimum=minimum):
                rate = marker
            else:
                rate = round(count * per / denominator, 1)
        cells.append(Cell(key, value, rate))
    return cells
