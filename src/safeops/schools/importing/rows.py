"""School import: the columns, the row types and the CSV and GeoJSON readers."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from safeops.core.csvexport import restore_cell
from safeops.core.importing import (
    ImportIssue,
    SourceFile,
    SourceRow,
    Unit,
    column_key,
    read_csv,
)
from safeops.schools.choices import GRADES, SchoolLevel

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
    """Parse CSV text. Lines are physical file lines: the header is line 1. A cell our own
    export protected against formula injection (a leading `'`) is read back as it was."""
    return read_csv(
        text,
        columns=_FIELD_BY_COLUMN,
        required=REQUIRED_FIELDS,
        clean=lambda _field, value: restore_cell(value),
    )


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
