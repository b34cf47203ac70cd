"""Import bell schedules and patrol points from CSV, on the one pipeline (core.importing).

Bell schedules: a school (`code` / `state_school_code` / `School Code`, else `name` /
`School Name`, matched as the schools importer does: by district + code when the row has a code,
else by district + name) and its `Start Time` and `End Time` (`7:30 a.m.`, `2:10 PM`, `14:10`).
A row with neither time is skipped (JCPS's "All Schools" lines); the JCPS merged file imports as
it is. Patrol points: `name`, `kind`, `lat`, `lon`, optional `start_time` / `end_time` and
`risk`; a point must lie in the district's area (its schools' box, widened) and never at (0, 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from safeops.core.audit import Actor
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
from safeops.patrol.choices import PointKind
from safeops.patrol.models import minute_label
from safeops.patrol.setup import (
    Outcome,
    bell_schedule_set,
    district_area,
    patrol_point_save,
    point_place_problem,
)
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
ERROR_KIND = "{value!r} is not a kind of point (allowed: {allowed})"
ERROR_NAME_TWICE = "{value!r} is already on line {line}"
ERROR_TOO_LONG = "{value!r} is longer than {limit} characters"

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


@dataclass(frozen=True)
class CsvImport:
    """A CSV import: its columns (the `required` ones must be there) and its row checks."""

    columns: dict[str, str]
    required: tuple[str, ...]
    validator: Callable[[int], Validator[Any]]


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


def school_finder(district_id: int) -> Callable[[SourceRow, list[ImportIssue]], School | None]:
    """Find a row's school by district + code when it has one, else by name (case ignored);
    an unknown one is an issue. None with no new issue: the row names no school."""
    schools = list(School.objects.filter(district_id=district_id))
    by_code = {s.code: s for s in schools if s.code}
    by_name = {s.name.casefold(): s for s in schools}

    def find(row: SourceRow, issues: list[ImportIssue]) -> School | None:
        code, name = row.values.get("code", "").strip(), row.values.get("name", "").strip()
        school = None
        if code and (school := by_code.get(code)) is None:
            issues.append(ImportIssue(row.line, "code", ERROR_SCHOOL_CODE.format(value=code)))
        elif not code and name and (school := by_name.get(name.casefold())) is None:
            issues.append(ImportIssue(row.line, "name", ERROR_SCHOOL_NAME.format(value=name)))
        return school

    return find


def _bells_validator(district_id: int) -> Validator[BellRow]:
    find_school = school_finder(district_id)

    def check(row: SourceRow, issues: list[ImportIssue]) -> BellRow | None:
        window = _window(row, issues)
        if window is None:
            return None
        start, end = window
        if start is None or end is None:
            return BellRow(row.line, None)
        count = len(issues)
        school = find_school(row, issues)
        if school is None:
            if len(issues) == count:
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


RowOutcome = Outcome | Literal["skipped"]  # skipped: a line with nothing to import


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[int] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


BELLS = CsvImport(BELL_COLUMNS, ("start", "end"), _bells_validator)


def bell_schedules_import(
    *, data: bytes, district_id: int, actor: Actor, dry_run: bool = False
) -> ImportSummary:
    """Validate the whole file; if every row is good, upsert the schools' bells (audited)."""

    done: set[int] = set()

    def write_row(row: BellRow) -> RowOutcome:
        if row.school is None:
            return "skipped"
        if row.school.pk in done:
            return "unchanged"
        done.add(row.school.pk)
        return bell_schedule_set(
            school=row.school,
            start_minute=row.start,
            end_minute=row.end,
            actor=actor,
            note="import-bells",
        )[1]

    return run_csv_import(BELLS, district_id, write_row, data=data, dry_run=dry_run)


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
    box = district_area(district_id)

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
            problem = point_place_problem(latitude, longitude, box)
            if problem:
                issues.append(ImportIssue(row.line, "latitude", problem))
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


POINTS = CsvImport(POINT_COLUMNS, ("name", "latitude", "longitude"), _points_validator)


def patrol_points_import(
    *, data: bytes, district_id: int, actor: Actor, dry_run: bool = False
) -> ImportSummary:
    """Validate the whole file; if every row is good, upsert the points by name (audited)."""

    def write_row(row: PointRow) -> RowOutcome:
        return patrol_point_save(
            district_id=district_id,
            name=row.name,
            values={
                "kind": row.kind,
                "latitude": row.latitude,
                "longitude": row.longitude,
                "window_start": row.start,
                "window_end": row.end,
                "risk": row.risk,
                "active": True,
            },
            actor=actor,
            note="import-points",
        )[1]

    return run_csv_import(POINTS, district_id, write_row, data=data, dry_run=dry_run)


def run_csv_import(
    spec: CsvImport,
    district_id: int,
    write_row: Callable[[Any], RowOutcome],
    *,
    data: bytes,
    dry_run: bool,
) -> ImportSummary:
    """Read `data`, check every row; when all are good, write each with `write_row` and count
    what it did."""
    columns, required, validate = spec.columns, spec.required, spec.validator(district_id)

    def write(rows: list[Any]) -> Counts:
        counts = Counts()
        for row in rows:
            outcome = write_row(row)
            if outcome == "skipped":
                counts.skipped.append(row.line)
            else:
                counts.add(outcome)
        return counts

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
    counts: Counts = outcome.result
    return ImportSummary(
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        skipped=tuple(counts.skipped),
        dry_run=dry_run,
    )
