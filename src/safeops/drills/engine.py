"""The drill rule engine: a school calendar, rules and drill dates in; window results out.

Plain Python (no ORM), so it is fast to test over random calendars.

- A `Calendar` is one school year: its first and last instructional day and the
  non-instructional days in between (weekends are non-instructional unless listed as
  `extra_instructional`). "Within the first 30 instructional days" is counted on it.
- A `Requirement` is one window kind of a rule: the first N instructional days, each month in
  session, one named month (January), or the whole school year; with how many drills it needs.
- A drill satisfies at most one requirement of its type. Drills are matched to windows by
  earliest deadline first, taking the earliest unused drill inside the window; for points and
  intervals this greedy gives a maximum matching. That is how fire's "one every month *plus
  one extra* within the first 30 instructional days" needs a drill of its own.
- Windows run from the first to the last instructional day they cover, both days included.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


class WindowKind(enum.StrEnum):
    FIRST_DAYS = "first_days"  # the first `param` instructional days
    EACH_MONTH = "each_month"  # every calendar month with an instructional day
    MONTH = "month"  # the month numbered `param` (1 = January) inside the school year
    SCHOOL_YEAR = "school_year"  # anywhere in the school year


class WindowState(enum.StrEnum):
    MET = "met"
    UPCOMING = "upcoming"  # not open yet
    OPEN = "open"  # open, not met, closes later than the due-soon horizon
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class Status(enum.StrEnum):
    COMPLIANT = "compliant"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


STATUS_LABELS = {
    Status.COMPLIANT: "Compliant",
    Status.DUE_SOON: "Due soon",
    Status.OVERDUE: "Overdue",
}
DEFAULT_DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Calendar:
    first_day: dt.date
    last_day: dt.date
    non_instructional: frozenset[dt.date] = frozenset()
    extra_instructional: frozenset[dt.date] = frozenset()  # e.g. a Saturday make-up day

    def is_instructional(self, day: dt.date) -> bool:
        if day < self.first_day or day > self.last_day or day in self.non_instructional:
            return False
        return day.weekday() < 5 or day in self.extra_instructional

    def instructional_days(self) -> list[dt.date]:
        days = []
        day = self.first_day
        while day <= self.last_day:
            if self.is_instructional(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days


@dataclass(frozen=True)
class Requirement:
    kind: WindowKind
    param: int = 0
    count: int = 1
    extra: bool = False  # described as an extra drill (fire's first-30-days drill)


@dataclass(frozen=True)
class Rule:
    drill_type: str  # code, e.g. "fire"
    label: str  # e.g. "fire"
    legal_source: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Window:
    drill_type: str
    type_label: str
    legal_source: str
    requirement: Requirement
    start: dt.date
    end: dt.date
    phrase: str  # "within instructional days 1–30", "in January 2027"

    @property
    def key(self) -> str:
        return f"{self.drill_type}:{self.requirement.kind}:{self.start.isoformat()}"


@dataclass(frozen=True)
class WindowResult:
    window: Window
    state: WindowState
    matched: tuple[dt.date, ...]
    missing: int
    reason: str

    @property
    def needs_action(self) -> bool:
        return self.state in (WindowState.DUE_SOON, WindowState.OVERDUE)


@dataclass(frozen=True)
class Compliance:
    on: dt.date
    status: Status
    windows: tuple[WindowResult, ...] = field(default_factory=tuple)

    @property
    def reasons(self) -> list[str]:
        return [w.reason for w in self.windows if w.needs_action]

    @property
    def overdue(self) -> list[WindowResult]:
        return [w for w in self.windows if w.state == WindowState.OVERDUE]

    @property
    def due_soon(self) -> list[WindowResult]:
        return [w for w in self.windows if w.state == WindowState.DUE_SOON]


def _month_name(year: int, month: int) -> str:
    return f"{pycalendar.month_name[month]} {year}"


def windows_for(calendar: Calendar, rule: Rule) -> list[Window]:
    """The windows a rule opens in this school year, in date order."""
    days = calendar.instructional_days()
    if not days:
        return []
    windows: list[Window] = []

    def add(requirement: Requirement, span: Sequence[dt.date], phrase: str) -> None:
        if span:
            windows.append(
                Window(
                    rule.drill_type,
                    rule.label,
                    rule.legal_source,
                    requirement,
                    span[0],
                    span[-1],
                    phrase,
                )
            )

    for requirement in rule.requirements:
        if requirement.kind == WindowKind.FIRST_DAYS:
            n = max(1, requirement.param)
            add(requirement, days[:n], f"within instructional days 1–{n}")
        elif requirement.kind == WindowKind.EACH_MONTH:
            by_month: dict[tuple[int, int], list[dt.date]] = {}
            for day in days:
                by_month.setdefault((day.year, day.month), []).append(day)
            for (year, month), span in sorted(by_month.items()):
                add(requirement, span, f"in {_month_name(year, month)}")
        elif requirement.kind == WindowKind.MONTH:
            span = [day for day in days if day.month == requirement.param]
            if span:
                add(requirement, span, f"in {_month_name(span[0].year, span[0].month)}")
        elif requirement.kind == WindowKind.SCHOOL_YEAR:
            add(requirement, days, f"in school year {days[0].year}–{days[-1].year}")
    return sorted(windows, key=lambda w: (w.start, w.end))


def _edf(
    windows: Sequence[Window], indexes: Iterable[int], drills: list[dt.date], used: list[bool]
) -> dict[int, list[dt.date]]:
    """Earliest-deadline-first: each window slot takes the earliest unused drill inside it."""
    matched: dict[int, list[dt.date]] = {i: [] for i in indexes}
    for i in sorted(matched, key=lambda i: (windows[i].end, windows[i].start)):
        window = windows[i]
        for _slot in range(window.requirement.count):
            for j, day in enumerate(drills):
                if not used[j] and window.start <= day <= window.end:
                    used[j] = True
                    matched[i].append(day)
                    break
    return matched


def _match(windows: Sequence[Window], drills: Sequence[dt.date]) -> dict[int, list[dt.date]]:
    """A maximum matching of drill dates to window slots (a drill fills one slot).

    Among maximum matchings, one that leaves "extra" windows unfilled first is preferred, so a
    missing drill is named as the extra one ("no extra fire drill within …") when that is true.
    """
    available = sorted(drills)
    everything = range(len(windows))
    best = _edf(windows, everything, available, [False] * len(available))
    size = sum(len(days) for days in best.values())
    used = [False] * len(available)
    regular = [i for i in everything if not windows[i].requirement.extra]
    extra = [i for i in everything if windows[i].requirement.extra]
    preferred = _edf(windows, regular, available, used)
    preferred.update(_edf(windows, extra, available, used))
    if sum(len(days) for days in preferred.values()) == size:
        return preferred
    return best


def _reason(window: Window, missing: int, state: WindowState) -> str:
    extra = "extra " if window.requirement.extra else ""
    count = window.requirement.count
    what = (
        f"no {extra}{window.type_label} drill"
        if missing == count and count == 1
        else f"{missing} of {count} {extra}{window.type_label} drills missing"
    )
    if state == WindowState.OVERDUE:
        return f"{what} {window.phrase} (ended {window.end.isoformat()})"
    if state in (WindowState.DUE_SOON, WindowState.OPEN):
        return f"{what} yet {window.phrase} (closes {window.end.isoformat()})"
    if state == WindowState.UPCOMING:
        return f"{window.type_label} drill due {window.phrase} (opens {window.start.isoformat()})"
    return f"{window.type_label} drill held {window.phrase}"


def evaluate(
    *,
    calendar: Calendar,
    rules: Iterable[Rule],
    drills: Mapping[str, Iterable[dt.date]],
    on: dt.date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> Compliance:
    """Compliance on day `on`: only drills held on or before `on` count."""
    results: list[WindowResult] = []
    for rule in rules:
        windows = windows_for(calendar, rule)
        held = [day for day in drills.get(rule.drill_type, ()) if day <= on]
        matched = _match(windows, held)
        for i, window in enumerate(windows):
            got = tuple(matched[i])
            missing = window.requirement.count - len(got)
            if missing <= 0:
                state = WindowState.MET
            elif on > window.end:
                state = WindowState.OVERDUE
            elif on < window.start:
                state = WindowState.UPCOMING
            elif (window.end - on).days <= due_soon_days:
                state = WindowState.DUE_SOON
            else:
                state = WindowState.OPEN
            results.append(WindowResult(window, state, got, max(0, missing), ""))
    results = [
        WindowResult(r.window, r.state, r.matched, r.missing, _reason(r.window, r.missing, r.state))
        for r in sorted(results, key=lambda r: (r.window.end, r.window.drill_type))
    ]
    states = {r.state for r in results}
    if WindowState.OVERDUE in states:
        status = Status.OVERDUE
    elif WindowState.DUE_SOON in states:
        status = Status.DUE_SOON
    else:
        status = Status.COMPLIANT
    return Compliance(on=on, status=status, windows=tuple(results))


def risk_key(compliance: Compliance) -> tuple[int, int, dt.date]:
    """Sort key, riskiest first: status, then how many windows need action, then the oldest."""
    rank = {Status.OVERDUE: 0, Status.DUE_SOON: 1, Status.COMPLIANT: 2}[compliance.status]
    pending = [w for w in compliance.windows if w.needs_action]
    oldest = min((w.window.end for w in pending), default=dt.date.max)
    return (rank, -len(pending), oldest)
