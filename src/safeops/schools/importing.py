"""Import a district's schools from CSV or GeoJSON (`safeops import-schools`).

The import runs in two phases. First every row is parsed and validated against the file
and the district's existing schools, and every problem is collected as an `ImportIssue`
(`line 4: latitude: '95.2' is not between -90 and 90`). If there is any problem, nothing
is written. Otherwise one transaction upserts the schools (by district + code when the row
has a code, else by district + name), then resolves the feeder and "resides" high-school
links, which may point forward in the file. Only changed fields are saved, and each
created or changed school gets an audit entry. A second import of the same file changes
nothing.

The columns are documented in docs/importing-schools.md.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safeops.core.audit import Actor, Snapshot, audit_write, snapshot
from safeops.core.importing import (
    ImportIssue,
    Rejected,
    SourceFile,
    SourceRow,
    Unit,
    column_key,
    read_csv,
    run_import,
)
from safeops.core.models import AuditAction
from safeops.schools.choices import GRADE_ORDER, GRADES, HIGH_SCHOOL_LEVELS, SchoolLevel
from safeops.schools.models import District, School

IMPORT_ACTOR = "system:import-schools"
DEFAULT_DISTRICT_NAME = "Default district"

FileFormat = Literal["csv", "geojson"]
FILE_FORMATS: tuple[FileFormat, ...] = ("csv", "geojson")

# Error messages. Row problems read `line N: <field>: <message>`; tests assert them exactly.
ERROR_FILE_UNREADABLE = "cannot read {path}: {reason}"
ERROR_FILE_NOT_UTF8 = "{path} is not UTF-8 text"
ERROR_FORMAT_UNKNOWN = "unknown file format {value!r} (allowed: csv, geojson)"
ERROR_DISTRICT_AMBIGUOUS = "several districts exist ({names}); choose one with --district"
ERROR_JSON_SYNTAX = "not valid JSON: {reason}"
ERROR_NOT_FEATURE_COLLECTION = "expected a GeoJSON FeatureCollection with a list of features"
ERROR_NOT_FEATURE = "expected a GeoJSON Feature object"
ERROR_NOT_POINT = "expected a Point geometry with coordinates [longitude, latitude]"
ERROR_REQUIRED = "a value is required"
ERROR_TOO_LONG = "{value!r} is longer than {limit} characters"
ERROR_LEVEL_UNKNOWN = "{value!r} is not a known level (allowed: {allowed})"
ERROR_NOT_A_NUMBER = "{value!r} is not a number"
ERROR_OUT_OF_RANGE = "{value!r} is not between {low} and {high}"
ERROR_ENROLLMENT = "{value!r} is not a whole number of 0 or more"
ERROR_GRADE_UNKNOWN = "{value!r} is not a known grade (allowed: {allowed})"
ERROR_GRADE_ORDER = "{high!r} is below the lowest grade {low!r}"
ERROR_ACTIVE = "{value!r} is not true or false"
ERROR_DUPLICATE = "{value!r} is already used on {where}"
ERROR_SAME_TARGET = "this row and {where} both match the existing school {name!r}"
ERROR_NAME_TAKEN = "{value!r} is the name of another school already in district {district!r}"
ERROR_HIGH_SCHOOL_UNKNOWN = "{value!r} is not a school in this file or in district {district!r}"
ERROR_HIGH_SCHOOL_LEVEL = "{value!r} has level {level!r}; it must be a high or combined school"
ERROR_LEVEL_STILL_LINKED = (
    "{value!r} would make {name!r} no longer a high school, but {count} school(s) not in "
    "this file still name it as their high school"
)
ERROR_WRITE_FAILED = "could not be saved: {reason}"

ALLOWED_LEVELS = ", ".join(SchoolLevel.values)
ALLOWED_GRADES = ", ".join(GRADES)
REQUIRED_FIELDS = ("name", "level", "latitude", "longitude")

# Column names the importer reads (lower case, spaces and hyphens as "_"), by model field.
COLUMN_ALIASES: Mapping[str, tuple[str, ...]] = {
    "name": ("name",),
    "code": ("code", "state_school_code"),
    "nces_id": ("nces_id",),
    "level": ("level",),
    "grade_low": ("grade_low",),
    "grade_high": ("grade_high",),
    "address": ("address",),
    "latitude": ("lat", "latitude"),
    "longitude": ("lon", "lng", "longitude"),
    "enrollment": ("enrollment",),
    "feeder_high_school": ("feeder_high_school",),
    "resides_high_school": ("hs_resides_zone", "resides_high_school"),
    "active": ("active",),
}
_FIELD_BY_COLUMN = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}
_TEXT_LIMITS = {"name": 200, "code": 20, "nces_id": 12, "address": 250}
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})
_ENROLLMENT = re.compile(r"\d+|\d{1,3}(,\d{3})+")
_LINK_FIELDS = ("feeder_high_school", "resides_high_school")

ScalarValue = str | float | int | bool | None


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    district: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: tuple[ImportIssue, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class SchoolImportError(Exception):
    """The import cannot start: the file is unreadable or the district is ambiguous."""


# The rows of a file as the import pipeline reads them (the names this module used before).
RawRow = SourceRow
ParsedFile = SourceFile


@dataclass(frozen=True)
class SchoolRow:
    """A validated row. Fields absent from the file are absent here and left unchanged."""

    line: int
    unit: Unit
    values: Mapping[str, ScalarValue]
    # High-school names: None when the file has no such column, empty to clear the link.
    feeders: tuple[str, ...] | None
    resides: str | None

    @property
    def name(self) -> str:
        return str(self.values["name"])

    @property
    def where(self) -> str:
        return f"{self.unit} {self.line}"


# --- parsing -------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A GeoJSON property value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(value)
    return json.dumps(value)


def parse_csv(text: str) -> ParsedFile:
    """Parse CSV text. Lines are physical file lines: the header is line 1."""
    return read_csv(text, columns=_FIELD_BY_COLUMN, required=REQUIRED_FIELDS)


def parse_geojson(text: str) -> ParsedFile:
    """Parse a GeoJSON FeatureCollection of Points. Feature N is `features[N]` (from 0)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        issue = ImportIssue(error.lineno, "file", ERROR_JSON_SYNTAX.format(reason=error.msg))
        return ParsedFile(rows=(), issues=(issue,))
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return ParsedFile(
            rows=(), issues=(ImportIssue(None, "file", ERROR_NOT_FEATURE_COLLECTION),)
        )
    features = document.get("features")
    if not isinstance(features, list):
        return ParsedFile(
            rows=(), issues=(ImportIssue(None, "file", ERROR_NOT_FEATURE_COLLECTION),)
        )

    rows: list[RawRow] = []
    ignored: list[str] = []
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            issue = ImportIssue(index, "feature", ERROR_NOT_FEATURE, unit="feature")
            reported = frozenset(COLUMN_ALIASES)
            rows.append(
                RawRow(line=index, unit="feature", values={}, reported=reported, issues=(issue,))
            )
            continue
        properties = feature.get("properties") or {}
        values: dict[str, str] = {}
        if isinstance(properties, dict):
            for key, value in properties.items():
                field_name = _FIELD_BY_COLUMN.get(column_key(str(key)))
                if field_name is None or field_name in ("latitude", "longitude"):
                    if key not in ignored:
                        ignored.append(str(key))
                    continue
                values[field_name] = _cell_text(value)
        geometry = feature.get("geometry")
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if (
            isinstance(geometry, dict)
            and geometry.get("type") == "Point"
            and isinstance(coordinates, list)
            and len(coordinates) in (2, 3)
        ):
            values["longitude"] = _cell_text(coordinates[0])
            values["latitude"] = _cell_text(coordinates[1])
            rows.append(RawRow(line=index, unit="feature", values=values))
        else:
            issue = ImportIssue(index, "geometry", ERROR_NOT_POINT, unit="feature")
            rows.append(
                RawRow(
                    line=index,
                    unit="feature",
                    values=values,
                    reported=frozenset({"latitude", "longitude"}),
                    issues=(issue,),
                )
            )
    return ParsedFile(rows=tuple(rows), ignored_columns=tuple(ignored))


def detect_format(path: Path, text: str) -> FileFormat:
    """`.csv` is CSV, `.geojson`/`.json` GeoJSON; otherwise a file starting with `{` is GeoJSON."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".geojson", ".json"):
        return "geojson"
    return "geojson" if text.lstrip("\ufeff \t\r\n").startswith("{") else "csv"


# --- validation ----------------------------------------------------------------------------


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _split_names(text: str) -> tuple[str, ...]:
    names: list[str] = []
    for part in text.split(";"):
        name = part.strip()
        if name and _name_key(name) not in {_name_key(seen) for seen in names}:
            names.append(name)
    return tuple(names)


def _normalise_level(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _normalise_grade(text: str) -> str:
    grade = text.strip().upper()
    return str(int(grade)) if grade.isdigit() else grade


class _RowChecker:
    """Validates one raw row's own values (nothing that depends on other rows)."""

    def __init__(self, raw: RawRow) -> None:
        self.raw = raw
        self.issues: list[ImportIssue] = list(raw.issues)
        self.values: dict[str, ScalarValue] = {}

    def fail(self, field_name: str, message: str) -> None:
        self.issues.append(ImportIssue(self.raw.line, field_name, message, unit=self.raw.unit))

    def text(self, field_name: str) -> str | None:
        """The stripped text of a field, or None when the source does not have it."""
        if field_name in self.raw.reported:
            return None
        value = self.raw.values.get(field_name)
        if value is None:
            if field_name in REQUIRED_FIELDS:
                self.fail(field_name, ERROR_REQUIRED)
            return None
        value = value.strip()
        if not value and field_name in REQUIRED_FIELDS:
            self.fail(field_name, ERROR_REQUIRED)
            return None
        return value

    def check(self) -> SchoolRow | None:
        for field_name, limit in _TEXT_LIMITS.items():
            value = self.text(field_name)
            if value is None:
                continue
            if len(value) > limit:
                self.fail(field_name, ERROR_TOO_LONG.format(value=value, limit=limit))
            else:
                self.values[field_name] = value
        self.check_level()
        self.check_coordinate("latitude", 90)
        self.check_coordinate("longitude", 180)
        self.check_enrollment()
        self.check_grades()
        self.check_active()
        feeders = self.text("feeder_high_school")
        resides = self.text("resides_high_school")
        if self.issues:
            return None
        return SchoolRow(
            line=self.raw.line,
            unit=self.raw.unit,
            values=self.values,
            feeders=None if feeders is None else _split_names(feeders),
            resides=resides,
        )

    def check_level(self) -> None:
        value = self.text("level")
        if value is None:
            return
        level = _normalise_level(value)
        if level in SchoolLevel.values:
            self.values["level"] = level
        else:
            self.fail("level", ERROR_LEVEL_UNKNOWN.format(value=value, allowed=ALLOWED_LEVELS))

    def check_coordinate(self, field_name: str, limit: int) -> None:
        value = self.text(field_name)
        if value is None:
            return
        try:
            number = float(value)
        except ValueError:
            self.fail(field_name, ERROR_NOT_A_NUMBER.format(value=value))
            return
        if not math.isfinite(number):
            self.fail(field_name, ERROR_NOT_A_NUMBER.format(value=value))
        elif not -limit <= number <= limit:
            self.fail(field_name, ERROR_OUT_OF_RANGE.format(value=value, low=-limit, high=limit))
        else:
            self.values[field_name] = number

    def check_enrollment(self) -> None:
        value = self.text("enrollment")
        if value is None:
            return
        if not value:
            self.values["enrollment"] = None
        elif _ENROLLMENT.fullmatch(value):
            self.values["enrollment"] = int(value.replace(",", ""))
        else:
            self.fail("enrollment", ERROR_ENROLLMENT.format(value=value))

    def check_grades(self) -> None:
        grades: dict[str, str] = {}
        for field_name in ("grade_low", "grade_high"):
            value = self.text(field_name)
            if value is None:
                continue
            grade = _normalise_grade(value)
            if grade and grade not in GRADE_ORDER:
                message = ERROR_GRADE_UNKNOWN.format(value=value, allowed=ALLOWED_GRADES)
                self.fail(field_name, message)
                continue
            self.values[field_name] = grade
            grades[field_name] = grade
        low, high = grades.get("grade_low"), grades.get("grade_high")
        if low and high and GRADE_ORDER[low] > GRADE_ORDER[high]:
            self.fail("grade_high", ERROR_GRADE_ORDER.format(low=low, high=high))

    def check_active(self) -> None:
        value = self.text("active")
        if value is None:
            return
        flag = value.lower()
        if not flag or flag in _TRUE:
            self.values["active"] = True
        elif flag in _FALSE:
            self.values["active"] = False
        else:
            self.fail("active", ERROR_ACTIVE.format(value=value))


@dataclass
class _Existing:
    """The district's schools, indexed for matching rows and resolving high-school names."""

    by_code: dict[str, School] = field(default_factory=dict)
    by_name: dict[str, School] = field(default_factory=dict)
    by_key: dict[str, list[School]] = field(default_factory=dict)

    @classmethod
    def load(cls, district: District | None) -> _Existing:
        existing = cls()
        if district is None:
            return existing
        for school in School.objects.filter(district=district).order_by("pk"):
            if school.code:
                existing.by_code[school.code] = school
            existing.by_name[school.name] = school
            existing.by_key.setdefault(_name_key(school.name), []).append(school)
        return existing

    def find_name(self, name: str) -> School | None:
        if name in self.by_name:
            return self.by_name[name]
        matches = self.by_key.get(_name_key(name), [])
        return matches[0] if len(matches) == 1 else None

    def match(self, row: SchoolRow) -> School | None:
        """The school a row updates: same code if the row has one, else the same name."""
        code = row.values.get("code")
        if isinstance(code, str) and code and code in self.by_code:
            return self.by_code[code]
        return self.find_name(row.name)


def validate_rows(
    *, raw_rows: Sequence[RawRow], district: District | None, district_name: str
) -> tuple[list[SchoolRow], list[ImportIssue]]:
    """Validate every row, alone and against the file and the district's schools."""
    issues: list[ImportIssue] = []
    rows: list[SchoolRow] = []
    # Every row's name (even an invalid row's) so that a feeder naming it is not "unknown".
    file_names: dict[str, RawRow] = {}
    seen_codes: dict[str, RawRow] = {}
    for raw in raw_rows:
        checker = _RowChecker(raw)
        row = checker.check()
        name = raw.values.get("name", "").strip()
        if name:
            first = file_names.setdefault(_name_key(name), raw)
            if first is not raw:
                where = f"{first.unit} {first.line}"
                checker.fail("name", ERROR_DUPLICATE.format(value=name, where=where))
                row = None
        code = raw.values.get("code", "").strip()
        if code:
            first = seen_codes.setdefault(code, raw)
            if first is not raw:
                where = f"{first.unit} {first.line}"
                checker.fail("code", ERROR_DUPLICATE.format(value=code, where=where))
                row = None
        issues.extend(checker.issues)
        if row is not None:
            rows.append(row)

    existing = _Existing.load(district)
    valid_by_key = {_name_key(row.name): row for row in rows}
    targets: dict[int, SchoolRow] = {}
    target_schools: dict[int, School] = {}
    for row in rows:
        target = existing.match(row)
        if target is None:
            continue
        first_row = targets.setdefault(target.pk, row)
        target_schools[target.pk] = target
        if first_row is not row:
            message = ERROR_SAME_TARGET.format(where=first_row.where, name=target.name)
            issues.append(ImportIssue(row.line, "name", message, unit=row.unit))
            continue
        other = existing.find_name(row.name)
        if other is not None and other.pk != target.pk:
            message = ERROR_NAME_TAKEN.format(value=row.name, district=district_name)
            issues.append(ImportIssue(row.line, "name", message, unit=row.unit))

    def level_of(name: str) -> str | None:
        """The level the named school will have, "" if unknown yet, None if it is not found."""
        key = _name_key(name)
        if key in valid_by_key:
            return str(valid_by_key[key].values["level"])
        if key in file_names:
            return ""  # the row naming it is invalid and already reported
        school = existing.find_name(name)
        if school is None:
            return None
        if school.pk in targets:
            return str(targets[school.pk].values["level"])
        return school.level

    for row in rows:
        links = [("feeder_high_school", name) for name in row.feeders or ()]
        if row.resides:
            links.append(("resides_high_school", row.resides))
        for field_name, name in links:
            level = level_of(name)
            if level is None:
                message = ERROR_HIGH_SCHOOL_UNKNOWN.format(value=name, district=district_name)
            elif level and level not in HIGH_SCHOOL_LEVELS:
                message = ERROR_HIGH_SCHOOL_LEVEL.format(value=name, level=level)
            else:
                continue
            issues.append(ImportIssue(row.line, field_name, message, unit=row.unit))

    issues.extend(_still_linked_issues(targets=targets, schools=target_schools))
    issues.sort(key=lambda issue: -1 if issue.line is None else issue.line)
    return rows, issues


def _still_linked_issues(
    *, targets: Mapping[int, SchoolRow], schools: Mapping[int, School]
) -> list[ImportIssue]:
    """A high school the file demotes must not stay the high school of schools it leaves alone."""
    issues: list[ImportIssue] = []
    relinked = {
        "feeder_high_school": {pk for pk, row in targets.items() if row.feeders is not None},
        "resides_high_school": {pk for pk, row in targets.items() if row.resides is not None},
    }
    for pk, row in targets.items():
        school = schools[pk]
        if not school.is_high_school or row.values["level"] in HIGH_SCHOOL_LEVELS:
            continue
        linked: set[int] = set()
        for field_name in _LINK_FIELDS:
            linked |= set(
                School.objects.filter(**{field_name: school})
                .exclude(pk__in=relinked[field_name] | {pk})
                .values_list("pk", flat=True)
            )
        linked |= set(
            school.split_feeder_schools.exclude(
                pk__in=relinked["feeder_high_school"] | {pk}
            ).values_list("pk", flat=True)
        )
        if linked:
            message = ERROR_LEVEL_STILL_LINKED.format(
                value=row.values["level"], name=school.name, count=len(linked)
            )
            issues.append(ImportIssue(row.line, "level", message, unit=row.unit))
    return issues


# --- writing -------------------------------------------------------------------------------


def _assign(school: School, values: Mapping[str, ScalarValue]) -> list[str]:
    changed: list[str] = []
    for field_name, value in values.items():
        if getattr(school, field_name) != value:
            setattr(school, field_name, value)
            changed.append(field_name)
    return changed


def _m2m_names(school: School) -> list[str]:
    return sorted(other.name for other in school.other_feeder_high_schools.all())


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _write_issue(
    row: SchoolRow, field_name: str, error: ValidationError | IntegrityError
) -> ImportIssue:
    reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return ImportIssue(row.line, field_name, ERROR_WRITE_FAILED.format(reason=reason), row.unit)


@dataclass
class _Upserted:
    """Pass 1's result: each row's school (by name key) and its snapshot before (None: new)."""

    schools: dict[str, School] = field(default_factory=dict)
    befores: dict[int, Snapshot | None] = field(default_factory=dict)
    issues: list[ImportIssue] = field(default_factory=list)


def _upsert_fields(
    *, rows: Sequence[SchoolRow], district: District, existing: _Existing
) -> _Upserted:
    """Pass 1: create or update each school's own fields, saving only the changed ones."""
    result = _Upserted()
    for row in rows:
        school = existing.match(row)
        before: Snapshot | None = None
        if school is None:
            school = School(district=district)
            _assign(school, row.values)
            changed = ["*"]
        else:
            before = snapshot(school)
            changed = _assign(school, row.values)
        if changed:
            try:
                school.clean_fields()
                school.validate_constraints()
                with transaction.atomic():
                    if before is None:
                        school.save()
                    else:
                        school.save(update_fields=[*changed, "updated_at"])
            except (ValidationError, IntegrityError) as error:
                result.issues.append(_write_issue(row, "row", error))
                continue
        result.schools[_name_key(row.name)] = school
        result.befores[school.pk] = before
    return result


def _link_and_audit(
    *, rows: Sequence[SchoolRow], upserted: _Upserted, existing: _Existing, actor: Actor, note: str
) -> tuple[_Counts, list[ImportIssue]]:
    """Pass 2: set the feeder and resides links (they may name schools later in the file),
    then record an audit entry for each school created or changed."""

    def resolve(name: str) -> School | None:
        return upserted.schools.get(_name_key(name)) or existing.find_name(name)

    counts = _Counts()
    issues: list[ImportIssue] = []
    for row in rows:
        school = upserted.schools[_name_key(row.name)]
        changed: list[str] = []
        extra: dict[str, list[Any]] = {}
        if row.feeders is not None:
            feeders = [resolve(name) for name in row.feeders]
            first = feeders[0] if feeders else None
            if school.feeder_high_school_id != (first.pk if first else None):
                school.feeder_high_school = first
                changed.append("feeder_high_school")
            others = {other.pk: other for other in feeders[1:] if other is not None}
            current = set(school.other_feeder_high_schools.values_list("pk", flat=True))
            if current != set(others):
                old_names = _m2m_names(school)
                school.other_feeder_high_schools.set(list(others.values()))
                new_names = sorted(other.name for other in others.values())
                extra["other_feeder_high_schools"] = [old_names, new_names]
        if row.resides is not None:
            resides = resolve(row.resides) if row.resides else None
            if school.resides_high_school_id != (resides.pk if resides else None):
                school.resides_high_school = resides
                changed.append("resides_high_school")
        if changed:
            try:
                school.clean()
                school.save(update_fields=[*changed, "updated_at"])
            except ValidationError as error:
                issues.append(_write_issue(row, changed[0], error))
                continue
        before = upserted.befores[school.pk]
        if before is None:
            counts.created += 1
            audit_write(
                actor=actor, action=AuditAction.CREATE, instance=school, before=None, note=note
            )
        elif audit_write(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=school,
            before=before,
            note=note,
            extra_changes=extra,
        ):
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts, issues


def _write(
    *, rows: Sequence[SchoolRow], district_name: str, actor: Actor, note: str
) -> tuple[_Counts, list[ImportIssue]]:
    """Upsert the rows and link their high schools. Runs inside the caller's transaction."""
    district, _ = District.objects.get_or_create(name=district_name)
    existing = _Existing.load(district)
    upserted = _upsert_fields(rows=rows, district=district, existing=existing)
    if upserted.issues:
        return _Counts(), upserted.issues
    return _link_and_audit(rows=rows, upserted=upserted, existing=existing, actor=actor, note=note)


# --- the service ---------------------------------------------------------------------------


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
