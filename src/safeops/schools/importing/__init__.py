"""Import a district's schools from CSV or GeoJSON (`safeops import-schools`).

The import runs in two phases. First every row is parsed and validated against the file
and the district's existing schools, and every problem is collected as an `ImportIssue`
(`line 4: latitude: '95.2' is not between -90 and 90`). If there is any problem, nothing
is written. Otherwise one transaction upserts the schools (by district + code when the row
has a code, else by district + name), then resolves the feeder and "resides" high-school
links, which may point forward in the file. Only changed fields are saved, and each
created or changed school gets an audit entry. A second import of the same file changes
nothing.

It runs on the shared pipeline (`safeops.core.importing`): `rows.py` reads CSV (through
`read_csv`, whose `clean` hook takes a per-field cell cleaner) and GeoJSON into its rows,
`checking.py` validates them, `writing.py` upserts them inside `run_import`'s transaction.
The columns are documented in docs/importing-schools.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from django.conf import settings

from safeops.core.audit import Actor
from safeops.core.importing import ImportIssue, Rejected, run_import
from safeops.schools.importing.checking import validate_rows
from safeops.schools.importing.rows import (
    ALLOWED_LEVELS,
    DEFAULT_DISTRICT_NAME,
    ERROR_DISTRICT_AMBIGUOUS,
    ERROR_FILE_NOT_UTF8,
    ERROR_FILE_UNREADABLE,
    ERROR_FORMAT_UNKNOWN,
    FILE_FORMATS,
    IMPORT_ACTOR,
    FileFormat,
    ImportReport,
    ParsedFile,
    RawRow,
    SchoolImportError,
    SchoolRow,
    detect_format,
    parse_csv,
    parse_geojson,
)
from safeops.schools.importing.writing import _Counts, _write
from safeops.schools.models import District

# --- the service ---------------------------------------------------------------------------

__all__ = [
    "ALLOWED_LEVELS",
    "ERROR_DISTRICT_AMBIGUOUS",
    "FILE_FORMATS",
    "FileFormat",
    "ImportIssue",
    "ImportReport",
    "SchoolImportError",
    "district_name_resolve",
    "parse_source",
    "read_source",
    "schools_import",
]


def district_name_resolve(*, name: str | None) -> str:
    """The district to import into: the one named, else the only one, else a new default.

    The default for an empty database is the DISTRICT_LABEL setting, or "Default district".
    """
    if name and name.strip():
        return name.strip()
    names = list(District.objects.order_by("name").values_list("name", flat=True))
    if len(names) == 1:
        return names[0]
    if len(names) > 1:
        raise SchoolImportError(ERROR_DISTRICT_AMBIGUOUS.format(names=", ".join(names)))
    label = getattr(settings, "SAFEOPS_DISTRICT_LABEL", "")
    return str(label).strip() or DEFAULT_DISTRICT_NAME


def read_source(*, path: Path) -> str:
    """The file's text (UTF-8, a byte-order mark is dropped)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise SchoolImportError(ERROR_FILE_NOT_UTF8.format(path=path)) from error
    except OSError as error:
        message = ERROR_FILE_UNREADABLE.format(path=path, reason=error.strerror or error)
        raise SchoolImportError(message) from error


def parse_source(*, text: str, file_format: FileFormat) -> ParsedFile:
    """Parse CSV or GeoJSON text into raw rows."""
    if file_format == "csv":
        return parse_csv(text)
    if file_format == "geojson":
        return parse_geojson(text)
    raise SchoolImportError(ERROR_FORMAT_UNKNOWN.format(value=file_format))


def schools_import(
    *,
    path: Path,
    district_name: str | None = None,
    actor: Actor = IMPORT_ACTOR,
    dry_run: bool = False,
    file_format: FileFormat | None = None,
) -> ImportReport:
    """Validate a CSV or GeoJSON file of schools and, if every row is valid, upsert them.

    Nothing is written when any row is invalid (the report lists every problem) or when
    `dry_run` is set (the report counts what would change). Raises `SchoolImportError` when
    the file cannot be read or the district is ambiguous.
    """
    text = read_source(path=path)
    parsed = parse_source(text=text, file_format=file_format or detect_format(path, text))
    name = district_name_resolve(name=district_name)
    report = ImportReport(district=name, ignored_columns=parsed.ignored_columns, dry_run=dry_run)
    district = District.objects.filter(name=name).first()

    note = f"import-schools {path.name}"

    def validate(raw_rows: Sequence[RawRow]) -> tuple[list[SchoolRow], list[ImportIssue]]:
        return validate_rows(raw_rows=raw_rows, district=district, district_name=name)

    def write(rows: list[SchoolRow]) -> _Counts:
        counts, issues = _write(rows=rows, district_name=name, actor=actor, note=note)
        if issues:
            raise Rejected(issues)
        return counts

    try:
        counts = run_import(source=parsed, validate=validate, write=write, dry_run=dry_run).result
    except Rejected as rejected:
        return _with_errors(report, rejected.issues)
    return ImportReport(
        district=name,
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        ignored_columns=parsed.ignored_columns,
        dry_run=dry_run,
    )


def _with_errors(report: ImportReport, issues: Iterable[ImportIssue]) -> ImportReport:
    ordered = sorted(issues, key=lambda issue: -1 if issue.line is None else issue.line)
    return ImportReport(
        district=report.district,
        errors=tuple(ordered),
        ignored_columns=report.ignored_columns,
        dry_run=report.dry_run,
    )
