"""HSDS import and export (acceptance 1): round trips, update by id, errors with paths.

Validation reads the official schemas in HSDS_SCHEMA_DIR; without them these tests skip.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeops.resources.categories import SAFEOPS_TAXONOMY_ID
from safeops.resources.hsds.reading import HsdsError, read_path
from safeops.resources.hsds.schemas import schemas_present
from safeops.resources.hsds.writing import MODELS, hsds_export, hsds_write
from safeops.resources.models import Organization, Phone, Service, Taxonomy, TaxonomyTerm
from tests.safeops.resources import hsds_data
from tests.safeops.resources.hsds_data import TABLES, write_csv_package

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.hsds,
    pytest.mark.skipif(not schemas_present(), reason="no official HSDS schemas in HSDS_SCHEMA_DIR"),
]
ACTOR = "system:test"


def import_path(path: Path) -> None:
    hsds_write(data=read_path(path), actor=ACTOR)


def wipe() -> None:
    """Delete every directory record but the seeded category taxonomy."""
    for model in MODELS.values():
        records = model._default_manager.all()
        if model is Taxonomy:
            records = records.exclude(hsds_id=SAFEOPS_TAXONOMY_ID)
        if model is TaxonomyTerm:
            records = records.exclude(taxonomy_id=SAFEOPS_TAXONOMY_ID)
        records.delete()


def files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_csv_datapackage_imports_exports_and_reimports_unchanged(tmp_path: Path) -> None:
    import_path(write_csv_package(tmp_path / "in"))
    first = tmp_path / "first"
    hsds_export(fmt="csv", out=first, actor=ACTOR)
    # Every value built by the test comes back, typed as the specification says.
    exported = read_path(first)
    for table, rows in TABLES.items():
        for row in rows:
            assert exported.tables[table][row["id"]] == row, (table, row["id"])
    # Re-import into the same database: nothing changes.
    result = hsds_write(data=exported, actor=ACTOR)
    assert result.created == {} and result.updated == {}
    # Into an empty database: the second export is byte for byte the first.
    wipe()
    import_path(first)
    second = tmp_path / "second"
    hsds_export(fmt="csv", out=second, actor=ACTOR)
    assert files(second) == files(first)


def test_json_export_nested_and_tabular_reimport_unchanged(tmp_path: Path) -> None:
    import_path(write_csv_package(tmp_path / "in"))
    reference = tmp_path / "reference"
    hsds_export(fmt="csv", out=reference, actor=ACTOR)
    out = tmp_path / "json"
    hsds_export(fmt="json", out=out, actor=ACTOR)
    services = json.loads((out / "services.json").read_text())
    shelter = next(s for s in services if s["id"] == hsds_data.SERVICE)
    # The nested form: organization and locations nested, links implied by the nesting.
    assert shelter["organization"]["id"] == hsds_data.ORG
    assert "organization_id" not in shelter
    location = shelter["service_at_locations"][0]["location"]
    assert location["addresses"][0]["address_1"] == "1200 River Rd"
    assert shelter["attributes"][0]["taxonomy_term"]["name"] == "Shelter"
    assert shelter["attributes"][0]["taxonomy_term"]["taxonomy_detail"]["id"] == hsds_data.TAXONOMY
    assert shelter["phones"][0]["number"] == "+1 502 555 0100"
    # The JSON datapackage re-imports unchanged.
    wipe()
    import_path(out)
    again = tmp_path / "again"
    hsds_export(fmt="csv", out=again, actor=ACTOR)
    assert files(again) == files(reference)
    # So does the nested services.json alone (it reaches every record of this data set).
    wipe()
    import_path(out / "services.json")
    nested = tmp_path / "nested"
    hsds_export(fmt="csv", out=nested, actor=ACTOR)
    assert files(nested) == files(reference)


def test_a_single_nested_service_object_imports(tmp_path: Path) -> None:
    """A file holding one service object, as the /services/{id} endpoint returns it."""
    import_path(write_csv_package(tmp_path / "in"))
    reference = tmp_path / "reference"
    hsds_export(fmt="csv", out=reference, actor=ACTOR)
    out = tmp_path / "json"
    hsds_export(fmt="json", out=out, actor=ACTOR)
    services = json.loads((out / "services.json").read_text())
    wipe()
    for index, service in enumerate(services):
        single = tmp_path / f"service{index}.json"
        single.write_text(json.dumps(service))
        import_path(single)
    again = tmp_path / "again"
    hsds_export(fmt="csv", out=again, actor=ACTOR)
    assert files(again) == files(reference)


def test_a_csv_folder_with_plural_file_names_and_no_datapackage(tmp_path: Path) -> None:
    folder = write_csv_package(tmp_path / "in")
    (folder / "datapackage.json").unlink()
    for table, plural in (
        ("taxonomy", "taxonomies"),
        ("address", "addresses"),
        ("phone", "phones"),
    ):
        (folder / f"{table}.csv").rename(folder / f"{plural}.csv")
    data = read_path(folder)
    assert len(data.tables["taxonomy"]) == 1
    assert len(data.tables["address"]) == 2
    assert len(data.tables["phone"]) == 2


def test_reimport_updates_by_id(tmp_path: Path) -> None:
    import_path(write_csv_package(tmp_path / "in"))
    service = Service.objects.get(hsds_id=hsds_data.SERVICE)
    changed = copy.deepcopy(TABLES)
    changed["service"][0]["name"] = "Emergency Youth Shelter (24h)"
    result = hsds_write(data=read_path(write_csv_package(tmp_path / "v2", changed)), actor=ACTOR)
    assert result.updated == {"service": 1}
    assert result.created == {}
    service.refresh_from_db()
    assert service.name == "Emergency Youth Shelter (24h)"
    assert Service.objects.count() == 2


def test_missing_required_field_rejected_with_json_path(tmp_path: Path) -> None:
    import_path(write_csv_package(tmp_path / "in"))
    out = tmp_path / "json"
    hsds_export(fmt="json", out=out, actor=ACTOR)
    wipe()
    services = json.loads((out / "services.json").read_text())
    del services[1]["name"]
    del services[0]["service_at_locations"][0]["location"]["addresses"][0]["city"]
    services[0]["phones"][0]["extension"] = "twelve"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(services))
    with pytest.raises(HsdsError) as caught:
        read_path(bad)
    assert sorted(caught.value.errors) == [
        "services[0].phones[0].extension: must be a number",
        "services[0].service_at_locations[0].location.addresses[0].city: field required",
        "services[1].name: field required",
    ]
    # Through the command: every error listed, nothing written.
    with pytest.raises(CommandError, match=r"3 errors in bad\.json; nothing was written"):
        call_command("import_hsds", str(bad))
    assert not Organization.objects.exists()
    assert not Phone.objects.exists()


def test_csv_errors_name_file_line_and_field(tmp_path: Path) -> None:
    tables = copy.deepcopy(TABLES)
    tables["service"][1]["status"] = "open"
    del tables["service"][0]["organization_id"]  # required in the tabular form
    tables["location"][0]["latitude"] = "north"
    tables["organization"][0]["id"] = "not-a-uuid"
    with pytest.raises(HsdsError) as caught:
        read_path(write_csv_package(tmp_path / "bad", tables))
    assert sorted(caught.value.errors) == [
        "location.csv[line 2].latitude: must be a number, not 'north'",
        "organization.csv[line 2].id: must be a UUID",
        "service.csv[line 2].organization_id: field required",
        "service.csv[line 3].status: must be one of active, inactive, defunct, temporarily closed",
    ]


def test_the_same_record_disagreeing_with_itself_is_rejected(tmp_path: Path) -> None:
    phone = {"id": "708192a3-0000-4000-8000-000000000009", "number": "1"}
    other = dict(phone, number="2")
    document = {
        "organizations": [
            {"id": hsds_data.ORG, "name": "A", "description": "a", "phones": [phone, other]}
        ]
    }
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    with pytest.raises(HsdsError) as caught:
        read_path(bad)
    assert caught.value.errors == [
        "organizations[0].phones[1].number: differs from the same phone at "
        "organizations[0].phones[0]"
    ]


def test_export_command_writes_the_seeded_category_taxonomy(tmp_path: Path) -> None:
    call_command("export_hsds", "--format", "csv", "--out", str(tmp_path))
    taxonomy = (tmp_path / "taxonomies.csv").read_text()
    assert SAFEOPS_TAXONOMY_ID in taxonomy
    terms = (tmp_path / "taxonomy_terms.csv").read_text()
    assert terms.count(SAFEOPS_TAXONOMY_ID) == TaxonomyTerm.objects.count() == 9
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    service = next(r for r in descriptor["resources"] if r["name"] == "service")
    name = next(f for f in service["schema"]["fields"] if f["name"] == "name")
    assert name == {"name": "name", "type": "string", "constraints": {"required": True}}
