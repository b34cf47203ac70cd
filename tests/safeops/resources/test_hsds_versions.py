"""HSDS from the official schemas (HSDS_SCHEMA_DIR), and 3.0 / 3.1 file names in and out."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from safeops.resources.hsds.reading import HsdsError, read_path
from safeops.resources.hsds.schemas import schema_dir, schemas_present, tables
from safeops.resources.hsds.writing import hsds_write
from safeops.resources.models import ServiceCapacity, Unit, Url
from tests.safeops.resources import hsds_data
from tests.safeops.resources.hsds_data import write_csv_package

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.hsds,
    pytest.mark.skipif(not schemas_present(), reason="no official HSDS schemas in HSDS_SCHEMA_DIR"),
]
ACTOR = "system:test"
ADDED_IN_31 = {"url.csv", "units.csv", "service_capacity.csv"}


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_tables_come_from_the_official_datapackage_and_schemas() -> None:
    package = json.loads((schema_dir() / "datapackage.json").read_text())
    official = {r["name"]: r for r in package["resources"]}
    known = tables("3.0")
    assert set(known) == set(official)
    for name, resource in official.items():
        assert known[name].path == resource["path"]
        fields = tuple(f["name"] for f in resource["schema"]["fields"])
        assert known[name].fields_for("3.0") == fields
    assert set(tables("3.1")) - set(known) == {"url", "unit", "service_capacity"}


def test_validation_follows_the_schema_folder(tmp_path: Path) -> None:
    """A copy of the schemas where a service needs no name: the missing name is accepted."""
    data = tmp_path / "hsds"
    shutil.copytree(schema_dir(), data)
    schema_file = data / "schema" / "service.json"
    schema = json.loads(schema_file.read_text())
    schema["required"].remove("name")
    schema_file.write_text(json.dumps(schema))
    document = {"services": [{"id": hsds_data.SERVICE, "status": "active"}]}
    bad = tmp_path / "services.json"
    bad.write_text(json.dumps(document))
    with pytest.raises(HsdsError) as caught:
        read_path(bad)
    assert caught.value.errors == ["services[0].name: field required"]
    with override_settings(HSDS_SCHEMA_DIR=data):
        assert read_path(bad).tables["service"][hsds_data.SERVICE]["status"] == "active"


def test_a_missing_schema_folder_names_the_setting(tmp_path: Path) -> None:
    with (
        override_settings(HSDS_SCHEMA_DIR=tmp_path / "absent"),
        pytest.raises(ImproperlyConfigured, match="HSDS_SCHEMA_DIR"),
    ):
        tables()


def test_export_30_uses_the_official_file_names_and_leaves_out_31(tmp_path: Path) -> None:
    hsds_write(data=read_path(write_csv_package(tmp_path / "in")), actor=ACTOR)
    out = tmp_path / "v30"
    call_command("export_hsds", "--format", "csv", "--out", str(out))
    names = {p.name for p in out.iterdir()}
    assert {"organizations.csv", "services.csv", "service_at_location.csv"} <= names
    assert {"taxonomies.csv", "accessibility.csv", "metadata.csv"} <= names
    assert not names & ADDED_IN_31
    assert "label" not in header(out / "attributes.csv")
    assert "service_at_location_id" not in header(out / "service_areas.csv")
    descriptor = json.loads((out / "datapackage.json").read_text())
    assert descriptor["version"] == "3.0"
    # The 3.0 package re-imports (what 3.0 cannot carry stays as it was).
    result = hsds_write(data=read_path(out), actor=ACTOR)
    assert result.created == {} and result.updated == {}


def test_export_31_adds_its_tables_and_both_versions_import(tmp_path: Path) -> None:
    hsds_write(data=read_path(write_csv_package(tmp_path / "in")), actor=ACTOR)
    out = tmp_path / "v31"
    call_command("export_hsds", "--format", "csv", "--out", str(out), "--hsds-version", "3.1")
    names = {p.name for p in out.iterdir()}
    assert names >= ADDED_IN_31 | {"organizations.csv", "attributes.csv"}
    assert "label" in header(out / "attributes.csv")
    # A 3.1 folder without datapackage.json is read by its official file names.
    (out / "datapackage.json").unlink()
    Url.objects.all().delete()
    ServiceCapacity.objects.all().delete()
    Unit.objects.all().delete()
    result = hsds_write(data=read_path(out), actor=ACTOR)
    assert result.created == {"unit": 1, "service_capacity": 1}


def test_json_30_nested_services_have_no_31_nesting(tmp_path: Path) -> None:
    hsds_write(data=read_path(write_csv_package(tmp_path / "in")), actor=ACTOR)
    out = tmp_path / "json30"
    call_command("export_hsds", "--format", "json", "--out", str(out), "--hsds-version", "3.0")
    services = json.loads((out / "services.json").read_text())
    for service in services:
        assert "capacities" not in service and "additional_urls" not in service
        for attribute in service.get("attributes", []):
            assert "label" not in attribute
    assert not (out / "url.json").exists()
