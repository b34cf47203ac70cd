"""The board's reporting terms: a school year's fall term (July 1 to December 31) and spring
term (January 1 to June 30), in the district's time zone, as the reports' periods define them
(`reports.periods`), so the board report reads the precomputed term. A term's key is
`2026-fall` (July to December 2026) or `2027-spring` (January to June 2027)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from safeops.reports.periods import year_key

FALL, SPRING = "fall", "spring"
FALL_STARTS = 7  # July, as reports.periods.YEAR_START_MONTH


@dataclass(frozen=True)
class Term:
    year: int
    half: str  # FALL or SPRING

    @property
    def key(self) -> str:
        return f"{self.year}-{self.half}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, FALL_STARTS if self.half == FALL else 1, 1)

    @property
    def end_day(self) -> dt.date:
        """The day after the term's last day."""
        if self.half == FALL:
            return dt.date(self.year + 1, 1, 1)
        return dt.date(self.year, FALL_STARTS, 1)

    @property
    def period(self) -> str:
        """The reports' period key of the term ("2026-27-fall", "2026-27-spring")."""
        first = self.year if self.half == FALL else self.year - 1
        return f"{year_key(first)}-{self.half}"

    @property
    def last_day(self) -> dt.date:
        return self.end_day - dt.timedelta(days=1)

    @property
    def start(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.first_day, dt.time()))

    @property
    def end(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end_day, dt.time()))

    @property
    def label(self) -> str:
        if self.half == FALL:
            return _("Fall term %(year)s") % {"year": self.year}
        return _("Spring term %(year)s") % {"year": self.year}

    def previous(self) -> Term:
        return Term(self.year, SPRING) if self.half == FALL else Term(self.year - 1, FALL)


def term_of(day: dt.date) -> Term:
    return Term(day.year, FALL if day.month >= FALL_STARTS else SPRING)


def parse_term(key: str | None, *, today: dt.date) -> Term:
    """The term named by `key` (`2026-fall`), or the current term when it names none."""
    year, _sep, half = (key or "").partition("-")
    if year.isdigit() and 2000 <= int(year) <= 2100 and half in (FALL, SPRING):
        return Term(int(year), half)
    return term_of(today)


def recent_terms(*, today: dt.date, count: int = 4) -> list[Term]:
    """The current term and the `count - 1` before it, newest first."""
    terms = [term_of(today)]
    while len(terms) < count:
        terms.append(terms[-1].previous())
    return terms
