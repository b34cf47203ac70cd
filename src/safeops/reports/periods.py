"""The report periods: school years (July to June), their two terms and their months.

A school year is named by its two calendar years, "2025-26" (1 July 2025 to 30 June 2026); its
terms are "2025-26-fall" (July to December) and "2025-26-spring" (January to June); a month is
"2025-09". A year is the sum of its terms and of its months, a term the sum of its months:
disclosure control treats those sums as relations (a small month cannot be had by subtracting
the other months from the year).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

YEAR_START_MONTH = 7


class PeriodKind(StrEnum):
    YEAR = "year"
    TERM = "term"
    MONTH = "month"


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # exclusive
    kind: PeriodKind
    key: str

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


def school_year_of(on: dt.date) -> int:
    """The calendar year a date's school year starts in."""
    return on.year if on.month >= YEAR_START_MONTH else on.year - 1


def year_key(first: int) -> str:
    return f"{first}-{(first + 1) % 100:02d}"


def _month(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, end, PeriodKind.MONTH, f"{year}-{month:02d}")


def year_periods(first: int) -> tuple[Period, list[Period], dict[str, list[Period]]]:
    """The school year starting in July of `first`: the year, its terms, each term's months."""
    key = year_key(first)
    fall = [_month(first, m) for m in range(YEAR_START_MONTH, 13)]
    spring = [_month(first + 1, m) for m in range(1, YEAR_START_MONTH)]
    year = Period(dt.date(first, 7, 1), dt.date(first + 1, 7, 1), PeriodKind.YEAR, key)
    terms = [
        Period(fall[0].start, fall[-1].end, PeriodKind.TERM, f"{key}-fall"),
        Period(spring[0].start, spring[-1].end, PeriodKind.TERM, f"{key}-spring"),
    ]
    return year, terms, {terms[0].key: fall, terms[1].key: spring}


def parse_period(key: str) -> Period | None:
    """The period a key names ("2025-26", "2025-26-fall", "2025-09"), or None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})(-fall|-spring)?", key)
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    if second == (first + 1) % 100:  # a school year or one of its terms
        year, terms, _ = year_periods(first)
        return {p.key: p for p in [year, *terms]}.get(key)
    if match[3] is None and 1 <= second <= 12:
        return _month(first, second)
    return None
