"""Read schools from the CSV or GeoJSON that ``safeops import-schools`` reads.

CSV header (as in the JCPS ``schools.csv``): required columns ``name``,
``level``, ``lat``, ``lon`` (the same rules as ``safeops import-schools``:
:mod:`planning.io.rules`); optional ``enrollment`` and ``feeder_high_school``
(zones aligned with high schools need it), ``code`` or ``state_school_code``
(the id; else the name is the id),
``hs_resides_zone``, ``calls_per_day`` and ``active`` (rows with ``false``,
``no`` or ``0`` are skipped). ``feeder_high_school`` may hold several names
separated by ``;``. GeoJSON: a FeatureCollection of Point features whose
properties carry the same names (coordinates give lat/lon).

Every error names the file, the line (CSV, header = line 1) or feature number
(GeoJSON) and the field, and says what to change.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planning.demand import default_calls_per_day
from planning.domain import InputError, School
from planning.io.rules import (
    LEVELS,
    MESSAGE_LEVEL_UNKNOWN,
    MESSAGE_NULL_ISLAND,
    MESSAGE_OUTLIER,
    OUTLIER_KM,
    REQUIRED_FIELDS,
    is_null_island,
    normalise_level,
    outliers,
)

__all__ = ["REQUIRED_COLUMNS", "read_schools", "schools_from_records"]

REQUIRED_COLUMNS = REQUIRED_FIELDS
_ID_COLUMNS = ("code", "state_school_code", "id")
_FALSE = {"false", "no", "0", "n", "inactive"}


def read_schools(path: Path) -> tuple[School, ...]:
    """Read and validate a schools file (``.csv``, ``.geojson`` or ``.json``).

    Raises
    ------
    InputError
        For a missing file or column, a bad cell, a school without
        coordinates or a duplicate id; the message names line and field.
    """
    src = str(path)
    if not path.is_file():
        raise InputError("file not found; pass an existing --schools file", source=src)
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _read_geojson(path)
    if suffix != ".csv":
        raise InputError("expected a .csv, .geojson or .json file", source=src)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise InputError(
                f"missing column(s) {', '.join(missing)}; the header must have "
                f"{', '.join(REQUIRED_COLUMNS)}",
                source=src,
                line=1,
            )
        records: list[tuple[int, Mapping[str, Any]]] = []
        for row in reader:
            clean = {(k or "").strip(): v for k, v in row.items()}
            if all(not (v or "").strip() for v in clean.values() if isinstance(v, str)):
                continue
            records.append((reader.line_num, clean))
    return schools_from_records(records, source=src, unit="line")


def _read_geojson(path: Path) -> tuple[School, ...]:
    src = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", source=src, line=exc.lineno) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError("expected a GeoJSON FeatureCollection", source=src)
    records: list[tuple[int, Mapping[str, Any]]] = []
    lacking: dict[str, list[int]] = {}
    for k, feat in enumerate(data.get("features") or [], start=1):
        props = dict(feat.get("properties") or {}) if isinstance(feat, dict) else {}
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        if geom is not None:
            if geom.get("type") != "Point":
                raise InputError(
                    f"geometry must be a Point, got {geom.get('type')!r}",
                    source=src,
                    feature=k,
                    field="geometry",
                )
            coords = geom.get("coordinates") or []
            if len(coords) >= 2:
                props.setdefault("lon", coords[0])
                props.setdefault("lat", coords[1])
        for col in REQUIRED_COLUMNS:
            if col not in props and col not in ("lat", "lon"):
                lacking.setdefault(col, []).append(k)
        records.append((k, props))
    if lacking:
        # One message per missing property, not one per feature.
        col, features = next(iter(lacking.items()))
        count = len(features)
        shown = ", ".join(str(k) for k in features[:5]) + (", ..." if count > 5 else "")
        raise InputError(
            f"missing property '{col}' in {count} feature(s): {shown}",
            source=src,
            feature=features[0],
            field=col,
        )
    return schools_from_records(records, source=src, unit="feature")


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def schools_from_records(
    records: list[tuple[int, Mapping[str, Any]]], *, source: str, unit: str
) -> tuple[School, ...]:
    """Validate raw records (``(line or feature number, fields)``) into schools."""

    def err(msg: str, where: int, field: str | None) -> InputError:
        if unit == "feature":
            return InputError(msg, source=source, feature=where, field=field)
        return InputError(msg, source=source, line=where, field=field)

    schools: list[School] = []
    seen: dict[str, int] = {}
    for where, rec in records:
        if str(rec.get("active", "")).strip().lower() in _FALSE:
            continue
        name = _text(rec.get("name"))
        if not name:
            raise err("empty school name; give every school a name", where, "name")
        raw_level = _text(rec.get("level"))
        if not raw_level:
            raise err(f"{name!r} has no level; fill in e.g. elementary", where, "level")
        level = normalise_level(raw_level)
        if level not in LEVELS:
            message = MESSAGE_LEVEL_UNKNOWN.format(value=raw_level, allowed=", ".join(LEVELS))
            raise err(message, where, "level")
        coords: list[float] = []
        for fld, lo, hi in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
            raw = _text(rec.get(fld))
            if not raw:
                raise err(
                    f"{name!r} has no coordinates; fill in lat and lon (WGS84 degrees)",
                    where,
                    fld,
                )
            try:
                val = float(raw)
            except ValueError:
                raise err(f"{fld} of {name!r} is not a number: {raw!r}", where, fld) from None
            if not math.isfinite(val) or not lo <= val <= hi:
                raise err(f"{fld} of {name!r} must lie in [{lo}, {hi}]", where, fld)
            coords.append(val)
        if is_null_island(coords[0], coords[1]):
            raise err(f"{name!r}: {MESSAGE_NULL_ISLAND}", where, "lat")
        enrollment: int | None = None
        raw = _text(rec.get("enrollment")).replace(",", "")
        if raw:
            try:
                enrollment = int(float(raw))
            except ValueError:
                raise err(
                    f"enrollment of {name!r} is not a number: {raw!r}", where, "enrollment"
                ) from None
            if enrollment < 0:
                raise err(f"enrollment of {name!r} is negative", where, "enrollment")
        feeders = tuple(
            f.strip() for f in _text(rec.get("feeder_high_school")).split(";") if f.strip()
        )
        resides = _text(rec.get("hs_resides_zone")) or None
        sid = ""
        for col in _ID_COLUMNS:
            sid = _text(rec.get(col))
            if sid:
                break
        sid = sid or name
        if sid in seen:
            raise err(
                f"id {sid!r} already used at {unit} {seen[sid]}; ids (code or name) must be unique",
                where,
                "code" if sid != name else "name",
            )
        seen[sid] = where
        raw = _text(rec.get("calls_per_day"))
        if raw:
            try:
                calls = float(raw)
            except ValueError:
                raise err(
                    f"calls_per_day of {name!r} is not a number: {raw!r}", where, "calls_per_day"
                ) from None
            if not math.isfinite(calls) or calls < 0:
                raise err("calls_per_day must be >= 0", where, "calls_per_day")
        else:
            calls = default_calls_per_day(level=level, enrollment=enrollment)
        schools.append(
            School(
                id=sid,
                name=name,
                level=level,
                lat=coords[0],
                lon=coords[1],
                calls_per_day=calls,
                enrollment=enrollment,
                feeder_high_schools=feeders,
                resides_zone=resides,
                line=where,
            )
        )
    if not schools:
        raise InputError("no schools in the file", source=source)
    far = outliers([(school.lat, school.lon) for school in schools])
    if far:
        index, km = far[0]
        school = schools[index]
        message = MESSAGE_OUTLIER.format(name=school.name, km=km, limit=OUTLIER_KM)
        raise err(message, school.line or 0, "lat")
    return tuple(schools)
