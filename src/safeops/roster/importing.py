"""The shifts file: one row per shift, checked against the district's officers and leave.

Columns: `officer` (e-mail or badge number), `date` (YYYY-MM-DD), `start` and `end` (HH:MM,
local time; an end at or before the start is the next morning), optional `comment`.
`services.shifts_import_csv` runs it through the shared import pipeline (core.importing).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeops.core.importing import ImportIssue, SourceRow
from safeops.roster.models import MAX_SHIFT_HOURS, Leave, Shift
from safeops.schools.models import District
from safeops.staff.choices import Role
from safeops.staff.models import Person

T = TypeVar("T")
COLUMNS = {
    "officer": "officer",
    "email": "officer",
    "badge": "officer",
    "badge_number": "officer",
    "date": "date",
    "day": "date",
    "start": "start",
    "starts": "start",
    "end": "end",
    "ends": "end",
    "comment": "comment",
    "note": "comment",
}
REQUIRED = ("officer", "date", "start", "end")
UNKNOWN_OFFICER = _("no active School Safety Officer with e-mail or badge {value!r}")
BAD_DATE = _("{value!r} is not a date (YYYY-MM-DD)")
BAD_TIME = _("{value!r} is not a time (HH:MM)")
TOO_LONG = _("the shift lasts more than {hours} hours")
COMMENT_TOO_LONG = _("longer than 200 characters")
OVERLAPS_LINE = _("overlaps the shift on line {line}")
OVERLAPS_SAVED = _("overlaps a recorded shift from {start} to {end}")
ON_LEAVE = _("the officer is on leave ({kind}) from {first} to {last}")


@dataclass(frozen=True)
class ShiftRow:
    line: int
    person: Person
    starts_at: dt.datetime
    ends_at: dt.datetime
    comment: str


class ShiftCheck:
    """Checks rows against the district's officers (by e-mail or badge), their recorded
    shifts and leave, and the file's other rows."""

    def __init__(self, *, district: District) -> None:
        self.officers: dict[str, Person] = {}
        for person in Person.objects.filter(district=district, role=Role.SSO, active=True):
            if person.email:
                self.officers[person.email.lower()] = person
            if person.badge_number:
                self.officers[person.badge_number.lower()] = person

    def row(self, source: SourceRow, issues: list[ImportIssue]) -> ShiftRow | None:
        line, values = source.line, source.values
        found: list[ImportIssue] = []
        person = self.officers.get(values.get("officer", "").lower())
        if person is None:
            value = values.get("officer", "")
            found.append(ImportIssue(line, "officer", str(UNKNOWN_OFFICER).format(value=value)))
        day = _parse(line, "date", values.get("date", ""), dt.date.fromisoformat, BAD_DATE, found)
        start = _parse(line, "start", values.get("start", ""), _time, BAD_TIME, found)
        end = _parse(line, "end", values.get("end", ""), _time, BAD_TIME, found)
        comment = values.get("comment", "")
        if len(comment) > 200:
            found.append(ImportIssue(line, "comment", str(COMMENT_TOO_LONG)))
        if found or person is None or day is None or start is None or end is None:
            issues.extend(found)
            return None
        starts_at = timezone.make_aware(dt.datetime.combine(day, start))
        end_day = day if end > start else day + dt.timedelta(days=1)
        ends_at = timezone.make_aware(dt.datetime.combine(end_day, end))
        if (ends_at - starts_at).total_seconds() > MAX_SHIFT_HOURS * 3600:
            issues.append(ImportIssue(line, "end", str(TOO_LONG).format(hours=MAX_SHIFT_HOURS)))
            return None
        saved = Shift.objects.filter(person=person, starts_at__lt=ends_at, ends_at__gt=starts_at)
        for other in saved[:1]:
            message = str(OVERLAPS_SAVED).format(
                start=f"{timezone.localtime(other.starts_at):%Y-%m-%d %H:%M}",
                end=f"{timezone.localtime(other.ends_at):%Y-%m-%d %H:%M}",
            )
            issues.append(ImportIssue(line, "start", message))
            return None
        last = timezone.localtime(ends_at - dt.timedelta(microseconds=1)).date()
        leave = Leave.objects.filter(person=person, first_day__lte=last, last_day__gte=day).first()
        if leave is not None:
            message = str(ON_LEAVE).format(
                kind=leave.get_kind_display(), first=leave.first_day, last=leave.last_day
            )
            issues.append(ImportIssue(line, "date", message))
            return None
        return ShiftRow(line, person, starts_at, ends_at, comment)

    def across(self, rows: list[ShiftRow]) -> list[ImportIssue]:
        """Two rows of one officer that overlap: the later line is reported."""
        issues: list[ImportIssue] = []
        by_person: dict[int, list[ShiftRow]] = defaultdict(list)
        for row in rows:
            by_person[row.person.pk].append(row)
        for own in by_person.values():
            own.sort(key=lambda r: (r.starts_at, r.line))
            for before, after in pairwise(own):
                if after.starts_at < before.ends_at:
                    first, second = sorted((before, after), key=lambda r: r.line)
                    message = str(OVERLAPS_LINE).format(line=first.line)
                    issues.append(ImportIssue(second.line, "start", message))
        return issues


def _time(value: str) -> dt.time:
    return dt.datetime.strptime(value, "%H:%M").time()  # noqa: DTZ007 - a wall-clock time


def _parse(
    line: int,
    field: str,
    value: str,
    parse: Callable[[str], T],
    message: object,
    issues: list[ImportIssue],
) -> T | None:
    try:
        return parse(value)
    except ValueError:
        issues.append(ImportIssue(line, field, str(message).format(value=value)))
        return None
