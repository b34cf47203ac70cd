"""Export a district's schools as CSV or GeoJSON (`safeops export-schools`).

Both formats use the column names the importer reads, so exporting and importing the result
changes nothing. GeoJSON follows RFC 7946: a FeatureCollection of Points whose coordinates
are [longitude, latitude] (WGS84).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from safeops.core.audit import Actor, audit_export
from safeops.core.csvexport import report_writer
from safeops.schools.importing import FileFormat
from safeops.schools.models import District, School

EXPORT_ACTOR = "system:export-schools"

# The CSV header, in order. GeoJSON features carry the same names (minus lat/lon) as properties.
EXPORT_COLUMNS = (
    "name",
    "code",
    "nces_id",
    "level",
    "grade_low",
    "grade_high",
    "address",
    "lat",
    "lon",
    "enrollment",
    "feeder_high_school",
    "hs_resides_zone",
    "active",
)

ERROR_NO_DISTRICT = "no district named {name!r}"
ERROR_NO_DISTRICTS = "there are no districts yet; import schools first"
ERROR_DISTRICT_AMBIGUOUS = "several districts exist ({names}); choose one with --district"
ERROR_FORMAT_UNKNOWN = "unknown export format {value!r} (allowed: csv, geojson)"


class SchoolExportError(Exception):
    """The export cannot run: the district is missing or ambiguous, or the format unknown."""


def district_for_export(*, name: str | None) -> District:
    """The district named, else the only district."""
    if name and name.strip():
        district = District.objects.filter(name=name.strip()).first()
        if district is None:
            raise SchoolExportError(ERROR_NO_DISTRICT.format(name=name.strip()))
        return district
    districts = list(District.objects.order_by("name")[:2])
    if not districts:
        raise SchoolExportError(ERROR_NO_DISTRICTS)
    if len(districts) > 1:
        names = ", ".join(District.objects.order_by("name").values_list("name", flat=True))
        raise SchoolExportError(ERROR_DISTRICT_AMBIGUOUS.format(names=names))
    return districts[0]


def school_list_for_export(*, district: District) -> QuerySet[School]:
    """The district's schools by name, with their high-school links loaded."""
    return (
        School.objects.filter(district=district)
        .select_related("feeder_high_school", "resides_high_school")
        .prefetch_related("other_feeder_high_schools")
        .order_by("name", "pk")
    )


def _feeders(school: School) -> str:
    """The feeder high schools as the importer reads them: the main one first, "A; B"."""
    names = [school.feeder_high_school.name] if school.feeder_high_school else []
    names += sorted(other.name for other in school.other_feeder_high_schools.all())
    return "; ".join(names)


def _record(school: School) -> dict[str, Any]:
    return {
        "name": school.name,
        "code": school.code,
        "nces_id": school.nces_id,
        "level": school.level,
        "grade_low": school.grade_low,
        "grade_high": school.grade_high,
        "address": school.address,
        "lat": school.latitude,
        "lon": school.longitude,
        "enrollment": school.enrollment,
        "feeder_high_school": _feeders(school),
        "hs_resides_zone": school.resides_high_school.name if school.resides_high_school else "",
        "active": school.active,
    }


def schools_to_csv(*, schools: Sequence[School]) -> str:
    """CSV text with the EXPORT_COLUMNS header; floats keep their shortest exact form."""
    buffer = io.StringIO(newline="")
    writer = report_writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for school in schools:
        record = _record(school)
        record["lat"] = repr(school.latitude)
        record["lon"] = repr(school.longitude)
        record["enrollment"] = "" if school.enrollment is None else str(school.enrollment)
        record["active"] = "true" if school.active else "false"
        writer.writerow([record[column] for column in EXPORT_COLUMNS])
    return buffer.getvalue()


def schools_to_geojson(*, schools: Sequence[School]) -> str:
    """An RFC 7946 FeatureCollection, a feature per line; empty optional properties are null."""
    features = []
    for school in schools:
        record = _record(school)
        coordinates = [record.pop("lon"), record.pop("lat")]
        properties = {key: (None if value == "" else value) for key, value in record.items()}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": coordinates},
                "properties": properties,
            }
        )
    # One feature per line: valid JSON that still diffs well.
    lines = ",\n".join(json.dumps(feature, ensure_ascii=False) for feature in features)
    return '{"type": "FeatureCollection", "features": [\n' + lines + "\n]}\n"


def schools_export(
    *, district: District, file_format: FileFormat, actor: Actor = EXPORT_ACTOR
) -> str:
    """The district's schools as CSV or GeoJSON text. Records an export audit entry."""
    if file_format not in ("csv", "geojson"):
        raise SchoolExportError(ERROR_FORMAT_UNKNOWN.format(value=file_format))
    schools = list(school_list_for_export(district=district))
    text = (
        schools_to_csv(schools=schools)
        if file_format == "csv"
        else schools_to_geojson(schools=schools)
    )
    audit_export(
        actor=actor,
        model=School,
        count=len(schools),
        note=f"export-schools {file_format} district={district.name}",
    )
    return text
