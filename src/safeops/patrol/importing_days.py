"""Import late-start, early-release and no-school days from CSV (core.importing's pipeline).

Columns: `date` (YYYY-MM-DD), the school (`code` / `name`, as the bell import; none: the whole
district), `kind` (`late_start`, `early_release`, `closed` or their labels), `minutes` (1–240,
how far the bell moves; not for a closed day) and `note`. Rows are written by
`setup.bell_override_set`, as the settings page's form is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from safeops.core.audit import Actor
from safeops.core.importing import ImportIssue, SourceRow, Validator, column_key, each_row
from safeops.patrol.choices import OverrideKind
from safeops.patrol.importing import (
    CsvImport,
    ImportSummary,
    RowOutcome,
    run_csv_import,
    school_finder,
)
from safeops.patrol.setup import bell_override_set
from safeops.schools.models import School

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
    find_school = school_finder(district_id)

    def check(row: SourceRow, issues: list[ImportIssue]) -> OverrideRow | None:
        count = len(issues)
        raw_day = row.values.get("date", "").strip()
        try:
            day = dt.date.fromisoformat(raw_day)
        except ValueError:
            issues.append(ImportIssue(row.line, "date", ERROR_DATE.format(value=raw_day)))
            day = None
        school = find_school(row, issues)
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


DAYS = CsvImport(OVERRIDE_COLUMNS, ("date", "kind"), _overrides_validator)


def bell_overrides_import(
    *, data: bytes, district_id: int, actor: Actor, dry_run: bool = False
) -> ImportSummary:
    """Late starts, early releases and no-school days (a school, or the district when the row
    names none); a date already recorded for that school is replaced."""

    def write_row(row: OverrideRow) -> RowOutcome:
        return bell_override_set(
            district_id=district_id,
            school=row.school,
            day=row.day,
            kind=row.kind,
            shift_minutes=row.minutes,
            note=row.note,
            actor=actor,
            source="import",
        )[1]

    return run_csv_import(DAYS, district_id, write_row, data=data, dry_run=dry_run)
