"""Import bell schedules and patrol points from CSV, on the one pipeline (core.importing).

Bell schedules: a school (`code` / `state_school_code` / `School Code`, else `name` /
`School Name`, matched as the schools importer does: by district + code when the row has a code,
else by district + name) and its `Start Time` and `End Time` (`7:30 a.m.`, `2:10 PM`, `14:10`).
A row with neither time is skipped (JCPS's "All Schools" lines); the JCPS merged file imports as
it is. Patrol points: `name`, `kind`, `lat`, `lon`, optional `start_time` / `end_time` and
`risk`; a point must lie in the district's area (its schools' box, widened) and never at (0, 0).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.importing import (
    ImportIssue,
    Rejected,
    SourceRow,
    Validator,
    column_key,
    decode,
    each_row,
    read_csv,
    run_import,
)
from safeops.core.models import AuditAction
from safeops.patrol.choices import OverrideKind, PointKind
from safeops.patrol.models import BellOverride, BellSchedule, PatrolPoint, minute_label
from safeops.schools.models import School

ERROR_REQUIRED = "a value is required"
ERROR_TIME = "{value!r} is not a time of day (e.g. 7:30 a.m., 2:10 PM or 14:10)"
ERROR_ONE_TIME = "give both the start and the end time, or neither"
ERROR_ORDER = "{end} is not after the start {start}"
ERROR_SCHOOL_CODE = "no school with code {value!r} in this district"
ERROR_SCHOOL_NAME = "no school named {value!r} in this district"
ERROR_SCHOOL_TWICE = "this school already has other times on line {line}"
ERROR_NUMBER = "{value!r} is not a number"
ERROR_RANGE = "{value!r} is not between {low} and {high}"
ERROR_ZERO = "(0, 0) is not a place in the district: the coordinates are missing"
ERROR_OUTSIDE = "({lat}, {lon}) is outside the district's area"
ERROR_NO_AREA = "the district has no schools yet, so its area is unknown"
ERROR_KIND = "{value!r} is not a kind of point (allowed: {allowed})"
ERROR_NAME_TWICE = "{value!r} is already on line {line}"
ERROR_TOO_LONG = "{value!r} is longer than {limit} characters"

# How far outside the box of its schools a patrol point may lie (degrees; ~5 km).
AREA_MARGIN_DEGREES = 0.05

BELL_COLUMNS = {
    "code": "code",
    "state_school_code": "code",
    "school_code": "code",
    "name": "name",
    "school": "name",
    "school_name": "name",
    "start_time": "start",
    "start": "start",
    "start_bell": "start",
    "end_time": "end",
    "end": "end",
    "end_bell": "end",
}
POINT_COLUMNS = {
    "name": "name",
    "kind": "kind",
    "type": "kind",
    "lat": "latitude",
    "latitude": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "longitude": "longitude",
    "start_time": "start",
    "window_start": "start",
    "end_time": "end",
    "window_end": "end",
    "risk": "risk",
}
_TWELVE_HOUR = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m\.?$", re.IGNORECASE)
_TWENTY_FOUR = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_time(text: str) -> int | None:
    """Minutes since midnight, or None when `text` is not a time of day."""
    value = text.strip()
    if match := _TWELVE_HOUR.match(value):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not (1 <= hour <= 12 and minute < 60):
            return None
        hour = hour % 12 + (12 if match[3].lower() == "p" else 0)
        return hour * 60 + minute
    if match := _TWENTY_FOUR.match(value):
        hour, minute = int(match[1]), int(match[2])
        return hour * 60 + minute if hour < 24 and minute < 60 else None
    return None


@dataclass(frozen=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: tuple[int, ...] = ()  # lines with nothing to import
    errors: tuple[ImportIssue, ...] = ()
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _window(row: SourceRow, issues: list[ImportIssue]) -> tuple[int | None, int | None] | None:
    """The row's (start, end) minutes; (None, None) when both are empty; None on a problem."""
    raw_start, raw_end = row.values.get("start", "").strip(), row.values.get("end", "").strip()
    if not raw_start and not raw_end:
        return None, None
    if not raw_start or not raw_end:
        issues.append(ImportIssue(row.line, "start" if not raw_start else "end", ERROR_ONE_TIME))
        return None
    start, end = parse_time(raw_start), parse_time(raw_end)
    bad = False
    for name, raw, value in (("start", raw_start, start), ("end", raw_end, end)):
        if value is None:
            issues.append(ImportIssue(row.line, name, ERROR_TIME.format(value=raw)))
            bad = True
    if bad or start is None or end is None:
        return None
    if end <= start:
        message = ERROR_ORDER.format(end=minute_label(end), start=minute_label(start))
        issues.append(ImportIssue(row.line, "end", message))
        return None
    return start, end


# --- Bell schedules -------------------------------------------------------------------------


@dataclass(frozen=True)
class BellRow:
    line: int
    school: School | None  # None: a line with no times, skipped
    start: int = 0
    end: int = 0


def _bells_validator(district_id: int) -> Validator[BellRow]:
    schools = list(School.objects.filter(district_id=district_id))
    by_code = {s.code: s for s in schools if s.code}
    by_name = {s.name.casefold(): s for s in schools}

    def check(row: SourceRow, issues: list[ImportIssue]) -> BellRow | None:
        window = _window(row, issues)
        if window is None:
            return None
        start, end = window
        if start is None or end is None:
            return BellRow(row.line, None)
        code, name = row.values.get("code", "").strip(), row.values.get("name", "").strip()
        if code:
            school = by_code.get(code)
            if school is None:
                issues.append(ImportIssue(row.line, "code", ERROR_SCHOOL_CODE.format(value=code)))
                return None
        elif name:
            school = by_name.get(name.casefold())
            if school is None:
                issues.append(ImportIssue(row.line, "name", ERROR_SCHOOL_NAME.format(value=name)))
                return None
        else:
            issues.append(ImportIssue(row.line, "name", ERROR_REQUIRED))
            return None
        return BellRow(row.line, school, start, end)

    def across(rows: list[BellRow]) -> Iterable[ImportIssue]:
        first: dict[int, BellRow] = {}
        for row in rows:
            if row.school is None:
                continue
            seen = first.setdefault(row.school.pk, row)
            if (seen.start, seen.end) != (row.start, row.end):
                yield ImportIssue(row.line, "start", ERROR_SCHOOL_TWICE.format(line=seen.line))

    return each_row(check, across=across)


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[int] = field(default_factory=list)


def bell_schedules_import(
    *, data: bytes, district_id: int, actor: Actor, dry_run: bool = False
) -> ImportSummary:
    """Validate the whole file; if every row is good, upsert the schools' bells (audited)."""

    def write(rows: list[BellRow]) -> _Counts:
        counts = _Counts()
        done: set[int] = set()
        for row in rows:
            if row.school is None:
                counts.skipped.append(row.line)
                continue
            if row.school.pk in done:
                counts.unchanged += 1
                continue
            done.add(row.school.pk)
            bell = BellSchedule.objects.filter(school=row.school).first()
            before = snapshot(bell) if bell else None
            if bell is None:
                bell = BellSchedule(school=row.school)
            elif (bell.start_minute, bell.end_minute) == (row.start, row.end):
                counts.unchanged += 1
                continue
            bell.start_minute, bell.end_minute = row.start, row.end
            bell.full_clean()
            bell.save()
            action = AuditAction.CREATE if before is None else AuditAction.UPDATE
            audit_write(
                actor=actor, action=action, instance=bell, before=before, note="import-bells"
            )
            if before is None:
                counts.created += 1
            else:
                counts.updated += 1
        return counts

    return _run(
        data=data,
        columns=BELL_COLUMNS,
        required=("start", "end"),
        validate=_bells_validator(district_id),
        write=write,
        dry_run=dry_run,
    )


# --- Patrol points --------------------------------------------------------------------------


@dataclass(frozen=True)
class PointRow:
    line: int
    name: str
    kind: str
    latitude: float
    longitude: float
    start: int | None
    end: int | None
    risk: float


def _number(
    row: SourceRow, name: str, low: float, high: float, issues: list[ImportIssue]
) -> float | None:
    raw = row.values.get(name, "").strip()
    if not raw:
        issues.append(ImportIssue(row.line, name, ERROR_REQUIRED))
        return None
    try:
        value = float(raw)
    except ValueError:
        issues.append(ImportIssue(row.line, name, ERROR_NUMBER.format(value=raw)))
        return None
    if not (low <= value <= high):
        issues.append(
            ImportIssue(row.line, name, ERROR_RANGE.format(value=raw, low=low, high=high))
        )
        return None
    return value


_KINDS = {column_key(str(k.label)): k.value for k in PointKind} | {
    k.value: k.value for k in PointKind
}


def _points_validator(district_id: int) -> Validator[PointRow]:
    places = list(
        School.objects.filter(district_id=district_id).values_list("latitude", "longitude")
    )
    box = None
    if places:
        lats, lons = [p[0] for p in places], [p[1] for p in places]
        margin = AREA_MARGIN_DEGREES
        box = (min(lats) - margin, max(lats) + margin, min(lons) - margin, max(lons) + margin)

    def check(row: SourceRow, issues: list[ImportIssue]) -> PointRow | None:
        count = len(issues)
        name = row.values.get("name", "").strip()
        if not name:
            issues.append(ImportIssue(row.line, "name", ERROR_REQUIRED))
        elif len(name) > 150:
            issues.append(
                ImportIssue(row.line, "name", ERROR_TOO_LONG.format(value=name, limit=150))
            )
        raw_kind = row.values.get("kind", "").strip()
        kind = _KINDS.get(column_key(raw_kind)) if raw_kind else PointKind.OTHER.value
        if kind is None:
            allowed = ", ".join(PointKind.values)
            issues.append(
                ImportIssue(row.line, "kind", ERROR_KIND.format(value=raw_kind, allowed=allowed))
            )
        latitude = _number(row, "latitude", -90, 90, issues)
        longitude = _number(row, "longitude", -180, 180, issues)
        if latitude is not None and longitude is not None:
            if latitude == 0 and longitude == 0:
                issues.append(ImportIssue(row.line, "latitude", ERROR_ZERO))
            elif box is None:
                issues.append(ImportIssue(row.line, "latitude", ERROR_NO_AREA))
            elif not (box[0] <= latitude <= box[1] and box[2] <= longitude <= box[3]):
                message = ERROR_OUTSIDE.format(lat=latitude, lon=longitude)
                issues.append(ImportIssue(row.line, "latitude", message))
        window = _window(row, issues)
        risk = 1.0
        if row.values.get("risk", "").strip():
            risk = _number(row, "risk", 0.1, 10, issues) or 1.0
        if len(issues) > count or window is None or latitude is None or longitude is None:
            return None
        return PointRow(row.line, name, str(kind), latitude, longitude, window[0], window[1], risk)

    def across(rows: list[PointRow]) -> Iterable[ImportIssue]:
        first: dict[str, int] = {}
        for row in rows:
            line = first.setdefault(row.name.casefold(), row.line)
            if line != row.line:
                yield ImportIssue(
                    row.line, "name", ERROR_NAME_TWICE.format(value=row.name, line=line)
                )

    return each_row(check, across=across)


def patrol_points_import(
    *, data: bytes, district_id: int, actor: Actor, dry_run: bool = False
) -> ImportSummary:
    """Validate the whole file; if every row is good, upsert the points by name (audited)."""

    def write(rows: list[PointRow]) -> _Counts:
        counts = _Counts()
        for row in rows:
            point = PatrolPoint.objects.filter(district_id=district_id, name=row.name).first()
            before = snapshot(point) if point else None
            point = point or PatrolPoint(district_id=district_id, name=row.name)
            values = {
                "kind": row.kind,
                "latitude": row.latitude,
                "longitude": row.longitude,
                "window_start": row.start,
                "window_end": row.end,
                "risk": row.risk,
                "active": True,
            }
            if before is not None and all(getattr(point, k) == v for k, v in values.items()):
                counts.unchanged += 1
                continue
            for key, value in values.items():
                setattr(point, key, value)
            point.full_clean()
            point.save()
            action = AuditAction.CREATE if before is None else AuditAction.UPDATE
            audit_write(
                actor=actor, action=action, instance=point, before=before, note="import-points"
            )
            if before is None:
                counts.created += 1
            else:
                counts.updated += 1
        return counts

    return _run(
        data=data,
        columns=POINT_COLUMNS,
        required=("name", "latitude", "longitude"),
        validate=_points_validator(district_id),
        write=write,
        dry_run=dry_run,
    )


# --- Late starts, early releases, no-school days ---------------------------------------------

ERROR_DATE = "{value!r} is not a date (YYYY-MM-DD)"
ERROR_OVERRIDE_KIND = "{value!r} is not a kind of day (allowed: {allowed})"
ERROR_MINUTES = "{value!r} is not a whole number of minutes from 1 to 240"
ERROR_OVERRIDE_TWICE = "this school and date are already on line {line}"
OVERRIDE_COLUMNS = {
    "date": "date",
    "day": "date",
    "code": "code",
    "state_school_code": "code",
    "school_code": "code",
    "name": "name",
    "school": "name",
    "school_name": "name",
    "kind": "kind",
    "minutes": "minutes",
    "note": "note",
}
_OVERRIDE_KINDS = {column_key(str(k.label)): k.value for k in OverrideKind} | {
    k.value: k.value for k in OverrideKind
}


@dataclass(frozen=True)
class OverrideRow:
    line: int
    day: dt.date
    school: School | None  # None: the whole district
    kind: str
    minutes: int
    note: str


def _overrides_validator(district_id: int) -> Validator[OverrideRow]:
    schools = list(School.objects.filter(district_id=district_id))
    by_code = {s.code: s for s in schools if s.code}
    by_name = {s.name.casefold(): s for s in schools}

    def check(row: SourceRow, issues: list[ImportIssue]) -> OverrideRow | None:
        count = len(issues)
        raw_day = row.values.get("date", "").strip()
        try:
            day = dt.date.fromisoformat(raw_day)
        except ValueError:
            issues.append(ImportIssue(row.line, "date", ERROR_DATE.format(value=raw_day)))
            day = None
        code, name = row.values.get("code", "").strip(), row.values.get("name", "").strip()
        school = None
        if code and (school := by_code.get(code)) is None:
            issues.append(ImportIssue(row.line, "code", ERROR_SCHOOL_CODE.format(value=code)))
        elif not code and name and (school := by_name.get(name.casefold())) is None:
            issues.append(ImportIssue(row.line, "name", ERROR_SCHOOL_NAME.format(value=name)))
        raw_kind = row.values.get("kind", "").strip()
        kind = _OVERRIDE_KINDS.get(column_key(raw_kind))
        if kind is None:
            allowed = ", ".join(OverrideKind.values)
            message = ERROR_OVERRIDE_KIND.format(value=raw_kind, allowed=allowed)
            issues.append(ImportIssue(row.line, "kind", message))
        raw_minutes = row.values.get("minutes", "").strip()
        minutes = 0
        if kind != OverrideKind.CLOSED:
            minutes = int(raw_minutes) if raw_minutes.isdigit() else 0
            if not 1 <= minutes <= 240:
                issues.append(
                    ImportIssue(row.line, "minutes", ERROR_MINUTES.format(value=raw_minutes))
                )
        if len(issues) > count or day is None or kind is None:
            return None
        note = row.values.get("note", "").strip()[:200]
        return OverrideRow(row.line, day, school, kind, minutes, note)

    def across(rows: list[OverrideRow]) -> Iterable[ImportIssue]:
        first: dict[tuple[int | None, dt.date], int] = {}
        for row in rows:
            key = (row.school.pk if row.school else None, row.day)
            line = first.setdefault(key, row.line)
            if line != row.line:
                yield ImportIssue(row.line, "date", ERROR_OVERRIDE_TWICE.format(line=line))

    return each_row(check, across=across)


def bell_overrides_import(
    *, data: bytes, district_id: int, actor: Actor, dry_run: bool = False
) -> ImportSummary:
    """Late starts, early releases and no-school days (a school, or the district when the row
    names none); a date already recorded for that school is replaced."""

    def write(rows: list[OverrideRow]) -> _Counts:
        counts = _Counts()
        for row in rows:
            found = BellOverride.objects.filter(
                district_id=district_id, school=row.school, day=row.day
            ).first()
            before = snapshot(found) if found else None
            override = found or BellOverride(
                district_id=district_id, school=row.school, day=row.day
            )
            values = (row.kind, row.minutes, row.note)
            if found and (found.kind, found.shift_minutes, found.note) == values:
                counts.unchanged += 1
                continue
            override.kind, override.shift_minutes, override.note = values
            override.full_clean(validate_constraints=False)
            override.save()
            action = AuditAction.CREATE if before is None else AuditAction.UPDATE
            audit_write(actor=actor, action=action, instance=override, before=before, note="import")
            counts.created += before is None
            counts.updated += before is not None
        return counts

    return _run(
        data=data,
        columns=OVERRIDE_COLUMNS,
        required=("date", "kind"),
        validate=_overrides_validator(district_id),
        write=write,
        dry_run=dry_run,
    )


def _run(
    *,
    data: bytes,
    columns: dict[str, str],
    required: tuple[str, ...],
    validate: Validator[Any],
    write: Callable[[list[Any]], _Counts],
    dry_run: bool,
) -> ImportSummary:
    try:
        source = read_csv(decode(data), columns=columns, required=required)
        outcome = run_import(
            source=source,
            validate=validate,
            write=write,
            dry_run=dry_run,
        )
    except Rejected as rejected:
        return ImportSummary(errors=rejected.issues, dry_run=dry_run)
    counts: _Counts = outcome.result
    return ImportSummary(
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        skipped=tuple(counts.skipped),
        dry_run=dry_run,
    )
