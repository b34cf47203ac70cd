"""`safeops export-schools`: CSV and GeoJSON that import back with no changes."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeops.core.models import AuditAction, AuditEntry
from safeops.schools.exporting import EXPORT_COLUMNS
from safeops.schools.models import School

REPO_ROOT = Path(__file__).resolve().parents[3]
JCPS_SCHOOLS = REPO_ROOT / ".." / "shared" / "data" / "jcps" / "schools.csv"

SCHOOLS_CSV = """
name,code,nces_id,level,grade_low,grade_high,address,lat,lon,enrollment,feeder_high_school,hs_resides_zone,active
Alpha High,100,210299000001,high,9,14,"1 Main St, Louisville",38.250001,-85.750002,"1,234",Alpha High,Alpha High,true
Omega High,,,high,9,12,,38.27,-85.77,,Omega High,,true
Zeta Middle,105,,middle,6,8,"2 Side St
Annex",38.22,-85.72,700,Omega High; Alpha High,Alpha High,false
Gheens Early Childhood Center,106,,early_childhood,PK,PK,,38.21,-85.71,,,,true
"""  # noqa: E501


def call(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    path = tmp_path / "schools.csv"
    path.write_text(textwrap.dedent(SCHOOLS_CSV).lstrip("\n"), encoding="utf-8")
    assert "4 created" in call("import_schools", str(path))
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "geojson"])
def test_export_then_import_changes_nothing(
    tmp_path: Path, imported: Path, file_format: str
) -> None:
    out = tmp_path / f"export.{file_format}"

    call("export_schools", "--format", file_format, "--out", str(out))
    result = call("import_schools", str(out))

    assert "0 created, 0 updated, 4 unchanged" in result
    assert "ignored columns" not in result


@pytest.mark.django_db
def test_csv_export_uses_the_importer_column_names(imported: Path) -> None:
    text = call("export_schools")

    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    zeta = next(row for row in rows if row["name"] == "Zeta Middle")
    assert zeta["feeder_high_school"] == "Omega High; Alpha High"
    assert zeta["address"] == "2 Side St\nAnnex"
    assert (zeta["lat"], zeta["lon"], zeta["active"]) == ("38.22", "-85.72", "false")
    alpha = next(row for row in rows if row["name"] == "Alpha High")
    assert (alpha["code"], alpha["enrollment"]) == ("100", "1234")


@pytest.mark.django_db
def test_geojson_export_is_a_feature_collection_of_lon_lat_points(imported: Path) -> None:
    collection = json.loads(call("export_schools", "--format", "geojson"))

    assert collection["type"] == "FeatureCollection"
    alpha = next(f for f in collection["features"] if f["properties"]["name"] == "Alpha High")
    assert alpha["type"] == "Feature"
    assert alpha["geometry"] == {"type": "Point", "coordinates": [-85.750002, 38.250001]}
    assert alpha["properties"]["enrollment"] == 1234
    assert alpha["properties"]["active"] is True
    assert "lat" not in alpha["properties"]
    omega = next(f for f in collection["features"] if f["properties"]["name"] == "Omega High")
    assert omega["properties"]["code"] is None
    assert omega["properties"]["hs_resides_zone"] is None


@pytest.mark.django_db
def test_export_records_an_audit_entry(imported: Path) -> None:
    call("export_schools", "--format", "geojson")

    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.model == "schools.school"
    assert entry.object_repr == "4 rows"
    assert entry.actor_label == "system:export-schools"


@pytest.mark.django_db
def test_export_of_an_unknown_district_is_an_error(imported: Path) -> None:
    with pytest.raises(CommandError, match="no district named 'Elsewhere'"):
        call("export_schools", "--district", "Elsewhere")


@pytest.mark.django_db
def test_jcps_file_round_trips_through_csv_and_geojson(tmp_path: Path) -> None:
    if not JCPS_SCHOOLS.exists():
        pytest.skip(f"the shared JCPS data file is absent ({JCPS_SCHOOLS})")
    call("import_schools", str(JCPS_SCHOOLS))

    for file_format in ("csv", "geojson"):
        out = tmp_path / f"jcps.{file_format}"
        call("export_schools", "--format", file_format, "--out", str(out))
        assert "0 created, 0 updated, 167 unchanged" in call("import_schools", str(out))
    assert School.objects.count() == 167
