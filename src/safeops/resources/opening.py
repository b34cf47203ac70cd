"""Is a service open at a given moment? HSDS schedules (RFC 5545-like fields), plain Python.

Reads `freq` (WEEKLY, MONTHLY), `interval` with `dtstart`, `byday` (`MO,TU`; for MONTHLY
`2MO`, `-1FR`), `bymonthday`, `valid_from`/`valid_to`/`until` (inclusive dates) and
`opens_at`/`closes_at` (`HH:MM[:SS]`, optionally `Z` or `±HH:MM`). Times without an offset
are read in the schedule's `timezone` (a UTC offset in hours) if it has one, else in the
district's time zone (settings.TIME_ZONE). A closing time before the opening time runs past
midnight. A schedule without opening hours says nothing about "open now".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol
from zoneinfo import ZoneInfo

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


class ScheduleLike(Protocol):
    valid_from: str
    valid_to: str
    dtstart: str
    until: str
    freq: str
    interval: float | None
    byday: str
    bymonthday: str
    opens_at: str
    closes_at: str
    timezone: float | None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _time(text: str) -> tuple[dt.time, dt.timezone | None] | None:
    match = _TIME.match(text.strip()) if text else None
    if not match:
        return None
    hour, minute, second, offset = match.groups()
    zone: dt.timezone | None = None
    if offset == "Z":
        zone = dt.UTC
    elif offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    if int(hour) > 23:
        return None
    return dt.time(int(hour), int(minute), int(second or 0)), zone


def _day_matches(schedule: ScheduleLike, day: dt.date) -> bool:
    first = _date(schedule.valid_from)
    last = _date(schedule.valid_to) or _date(schedule.until)
    if (first and day < first) or (last and day > last):
        return False
    freq = (schedule.freq or "WEEKLY").upper()
    tokens = [t.strip().upper() for t in schedule.byday.split(",") if t.strip()]
    interval = int(schedule.interval or 1)
    start = _date(schedule.dtstart)
    if freq == "WEEKLY":
        if tokens and DAYS[day.weekday()] not in {t[-2:] for t in tokens}:
            return False
        if interval > 1 and start:
            weeks = (day - start).days // 7
            return weeks >= 0 and weeks % interval == 0
        return True
    if freq == "MONTHLY":
        if schedule.bymonthday:
            month_end = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            length = (month_end - dt.timedelta(days=1)).day
            wanted = set()
            for part in schedule.bymonthday.split(","):
                try:
                    n = int(part)
                except ValueError:
                    continue
                wanted.add(n if n > 0 else length + n + 1)
            if day.day not in wanted:
                return False
        if tokens:
            return any(_nth_weekday(token, day) for token in tokens)
        return True
    return False


def _nth_weekday(token: str, day: dt.date) -> bool:
    if token[-2:] != DAYS[day.weekday()]:
        return False
    prefix = token[:-2]
    if not prefix:
        return True
    try:
        n = int(prefix)
    except ValueError:
        return False
    if n > 0:
        return (day.day - 1) // 7 + 1 == n
    next_month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    days_left = (next_month - day).days - 1
    return days_left // 7 + 1 == -n


def is_open(schedule: ScheduleLike, at: dt.datetime, district_zone: str) -> bool | None:
    """True/False, or None when the schedule gives no opening hours."""
    opens, closes = _time(schedule.opens_at), _time(schedule.closes_at)
    if opens is None or closes is None:
        return None
    zone: dt.tzinfo = opens[1] or ZoneInfo(district_zone)
    if opens[1] is None and schedule.timezone is not None:
        zone = dt.timezone(dt.timedelta(hours=schedule.timezone))
    local = at.astimezone(zone)
    now = local.time().replace(tzinfo=None)
    start, end = opens[0], closes[0]
    if start <= end:
        return start <= now < end and _day_matches(schedule, local.date())
    # Past midnight: open from `start` on a matching day until `end` the next morning.
    if now >= start:
        return _day_matches(schedule, local.date())
    return now < end and _day_matches(schedule, local.date() - dt.timedelta(days=1))
