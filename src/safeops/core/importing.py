"""One import pipeline for every file of rows the app reads (schools, training, calendars…).

1. **Read** the file into `SourceRow`s: `decode` (UTF-8, a byte-order mark dropped) and
   `read_csv` (the delimiter `,`, `;` or tab, header columns mapped to fields through the
   importer's names, missing or doubled columns reported, a cell cleaner per field, physical
   line numbers: the header is line 1 and a quoted cell may span lines). A reader for another
   format (the schools' GeoJSON) makes the same rows.
2. **Validate** the whole file: every row (`each_row`) and then across rows, collecting every
   problem as an `ImportIssue` with its line and field.
3. **Write** in one transaction, only when there is no problem; a dry run writes, counts and
   rolls back, so it reports exactly what a real run would do. A write step that finds a
   problem raises `Rejected`, which rolls everything back.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from django.db import transaction

Unit = Literal["line", "feature"]
T = TypeVar("T")
W = TypeVar("W")

ERROR_FILE_EMPTY = "the file is empty"
ERROR_NOT_UTF8 = "the file is not UTF-8 text"
ERROR_CSV_SYNTAX = "not valid CSV: {reason}"
ERROR_MISSING_COLUMNS = "missing required columns: {columns}"
ERROR_COLUMN_TWICE = "{columns} are the same field ({field}); keep one"
ERROR_TOO_MANY_VALUES = "has {count} values but the header has {columns} columns"


@dataclass(frozen=True)
class ImportIssue:
    """One problem: where it is (a file line, or a GeoJSON feature index), which field, why."""

    line: int | None
    field: str
    message: str
    unit: Unit = "line"

    @property
    def where(self) -> str:
        return "file" if self.line is None else f"{self.unit} {self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


@dataclass(frozen=True)
class SourceRow:
    """One record of the file: text values by field name, before validation."""

    line: int
    unit: Unit
    values: Mapping[str, str]
    # Fields the reader already reported a problem for (a GeoJSON geometry).
    reported: frozenset[str] = frozenset()
    issues: tuple[ImportIssue, ...] = ()


@dataclass(frozen=True)
class SourceFile:
    """The rows of a file, its fields, the columns it ignores and problems with its shape."""

    rows: tuple[SourceRow, ...]
    fields: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    issues: tuple[ImportIssue, ...] = ()


class Rejected(Exception):
    """The file was rejected; `issues` lists every problem. Nothing was written."""

    def __init__(self, issues: Iterable[ImportIssue]) -> None:
        self.issues = sort_issues(issues)
        super().__init__(f"{len(self.issues)} problem(s); nothing was written")


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


@dataclass(frozen=True)
class Outcome(Generic[W]):
    """What the write step returned (for a dry run: what it would have done)."""

    result: W
    dry_run: bool = False


# A cell cleaner: (field, raw text) -> the text to validate.
CellCleaner = Callable[[str, str], str]


def sort_issues(issues: Iterable[ImportIssue]) -> tuple[ImportIssue, ...]:
    """File-level problems first, then by line (stable within a line)."""
    return tuple(sorted(issues, key=lambda issue: -1 if issue.line is None else issue.line))


def column_key(header: str) -> str:
    """A header as a lookup key: `Feeder High-School` -> `feeder_high_school`."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def decode(data: bytes) -> str:
    """UTF-8 text, a byte-order mark dropped; raises Rejected when it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected([ImportIssue(None, "file", ERROR_NOT_UTF8)]) from None


def csv_delimiter(text: str) -> str:
    """`,` unless the header line has no comma but a semicolon or a tab (spreadsheet exports)."""
    first = text.split("\n", 1)[0]
    if "," in first:
        return ","
    for candidate in (";", "\t"):
        if candidate in first:
            return candidate
    return ","


def read_csv(
    text: str,
    *,
    columns: Mapping[str, str],
    required: Sequence[str] = (),
    clean: CellCleaner | None = None,
) -> SourceFile:
    """Read CSV text whose header names fields through `columns` (`column_key` -> field).

    Unknown columns are ignored (and listed); rows with no value are skipped. When a required
    column is missing or a field's column appears twice the file has no rows, only issues.
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        header = next(reader, None)
    except csv.Error as error:
        return SourceFile(rows=(), issues=(_csv_issue(reader.line_num, error),))
    if header is None:
        return SourceFile(rows=(), issues=(ImportIssue(1, "file", ERROR_FILE_EMPTY),))

    positions: dict[str, list[int]] = {}
    ignored: list[str] = []
    for index, column in enumerate(header):
        field_name = columns.get(column_key(column))
        if field_name is None:
            if column.strip():
                ignored.append(column.strip())
            continue
        positions.setdefault(field_name, []).append(index)

    issues: list[ImportIssue] = []
    missing = [name for name in required if name not in positions]
    if missing:
        message = ERROR_MISSING_COLUMNS.format(columns=", ".join(missing))
        issues.append(ImportIssue(1, "columns", message))
    for field_name, indexes in positions.items():
        if len(indexes) > 1:
            names = " and ".join(repr(header[index].strip()) for index in indexes)
            message = ERROR_COLUMN_TWICE.format(columns=names, field=field_name)
            issues.append(ImportIssue(1, "columns", message))
    fields = tuple(positions)
    if issues:
        ignored_columns = tuple(ignored)
        return SourceFile(
            rows=(), fields=fields, ignored_columns=ignored_columns, issues=tuple(issues)
        )

    rows: list[SourceRow] = []
    previous_end = reader.line_num
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as error:
            issues.append(_csv_issue(reader.line_num, error))
            break
        if cells is None:
            break
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        row_issues: tuple[ImportIssue, ...] = ()
        if any(cell.strip() for cell in cells[len(header) :]):
            message = ERROR_TOO_MANY_VALUES.format(count=len(cells), columns=len(header))
            row_issues = (ImportIssue(line, "row", message),)
        values = {}
        for field_name, indexes in positions.items():
            cell = cells[indexes[0]] if indexes[0] < len(cells) else ""
            values[field_name] = clean(field_name, cell) if clean else cell
        rows.append(SourceRow(line=line, unit="line", values=values, issues=row_issues))
    return SourceFile(
        rows=tuple(rows), fields=fields, ignored_columns=tuple(ignored), issues=tuple(issues)
    )


def _csv_issue(line: int, error: csv.Error) -> ImportIssue:
    return ImportIssue(max(line, 1), "file", ERROR_CSV_SYNTAX.format(reason=error))


Validator = Callable[[Sequence[SourceRow]], tuple[list[T], list[ImportIssue]]]


def each_row(
    check_row: Callable[[SourceRow, list[ImportIssue]], T | None],
    *,
    across: Callable[[list[T]], Iterable[ImportIssue]] | None = None,
) -> Validator[T]:
    """A whole-file validator from a row check (it appends its issues, returns the row or
    None) and an optional check across the valid rows."""

    def validate(rows: Sequence[SourceRow]) -> tuple[list[T], list[ImportIssue]]:
        valid: list[T] = []
        issues: list[ImportIssue] = []
        for row in rows:
            issues.extend(row.issues)
            checked = check_row(row, issues)
            if checked is not None and not row.issues:
                valid.append(checked)
        if across is not None:
            issues.extend(across(valid))
        return valid, issues

    return validate


def run_import(
    *,
    source: SourceFile,
    validate: Validator[T],
    write: Callable[[list[T]], W],
    dry_run: bool = False,
) -> Outcome[W]:
    """Validate the whole file, then write it in one transaction (rolled back for a dry run).

    Raises `Rejected` with every problem of the file, its rows or the write step.
    """
    rows, issues = validate(source.rows)
    if source.issues or issues:
        raise Rejected([*source.issues, *issues])
    result: W
    try:
        with transaction.atomic():
            result = write(rows)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return Outcome(result=result, dry_run=dry_run)
