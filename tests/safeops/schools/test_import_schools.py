"""`safeops import-schools`: validation, all-or-nothing writes, upserts and audit entries."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planning.domain import InputError
from planning.io.rules import LEVELS, MESSAGE_NULL_ISLAND
from planning.io.schools import read_schools
from safeops.core.models import AuditAction, AuditEntry
from safeops.schools.choices import SchoolLevel
from safeops.schools.importing import (
    ALLOWED_LEVELS,
    ERROR_DISTRICT_AMBIGUOUS,
    ImportIssue,
    SchoolImportError,
    schools_import,
)
from safeops.schools.models import District, School

REPO_ROOT = Path(__file__).resolve().parents[3]
JCPS_SCHOOLS = REPO_ROOT / ".." / "shared" / "data" / "jcps" / "schools.csv"

HEADER = "name,code,level,lat,lon,enrollment,feeder_high_school,hs_resides_zone"


def write(tmp_path: Path, text: str, name: str = "schools.csv") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run_import(*args: str) -> tuple[str, str]:
    """Run the command; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_schools", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_rejected(*args: str) -> tuple[str, list[str]]:
    """Run a command that must fail; return (the CommandError message, stderr lines)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_schools", *args, stdout=out, stderr=err)
    return str(excinfo.value), err.getvalue().splitlines()


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        f"""
        {HEADER}
        Alpha High,100,high,38.25,-85.75,"1,234",Alpha High,Alpha High
        Beta Elementary,101,elementary,38.20,-85.70,400,Alpha High,Alpha High
        """,
    )


@pytest.mark.django_db
def test_jcps_file_imports_167_schools_and_a_second_run_changes_nothing() -> None:
    if not JCPS_SCHOOLS.exists():
        pytest.skip(f"the shared JCPS data file is absent ({JCPS_SCHOOLS})")

    out, _ = run_import(str(JCPS_SCHOOLS))

    assert "167 created, 0 updated, 0 unchanged" in out
    assert (
        "ignored columns: ky_school_type, level_source, feeder_source, "
        "econ_disadvantaged_pct, shares_coordinates_with"
    ) in out
    assert School.objects.count() == 167
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == 167
    meyzeek = School.objects.get(name="Meyzeek Middle")
    assert meyzeek.feeder_high_school is not None
    assert meyzeek.feeder_high_school.name == "Iroquois High"
    assert [s.name for s in meyzeek.other_feeder_high_schools.all()] == ["Atherton High"]
    assert meyzeek.resides_high_school is not None
    assert School.objects.get(name="Eastern High").feeder_high_school_id == (
        School.objects.get(name="Eastern High").pk
    )
    assert School.objects.get(name="Gheens Early Childhood Center").enrollment is None

    audit_before = AuditEntry.objects.count()
    out, _ = run_import(str(JCPS_SCHOOLS))

    assert "0 created, 0 updated, 167 unchanged" in out
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_bad_latitude_unknown_level_and_duplicate_name_give_three_errors_and_write_nothing(
    tmp_path: Path,
) -> None:
    # The quoted address spans lines 2-3, so the bad rows are on physical lines 4, 5 and 6.
    path = write(
        tmp_path,
        """
        name,level,lat,lon,address,feeder_high_school
        Alpha High,high,38.2,-85.7,"1 Main St
        Louisville",Alpha High
        Beta Elementary,elementary,95.2,-85.7,,Alpha High
        Gamma Middle,university,38.1,-85.6,,Alpha High
        Alpha High,high,38.3,-85.5,,
        """,
    )

    message, errors = run_rejected(str(path))

    assert errors == [
        "line 4: latitude: '95.2' is not between -90 and 90",
        f"line 5: level: 'university' is not a known level (allowed: {ALLOWED_LEVELS})",
        "line 6: name: 'Alpha High' is already used on line 2",
    ]
    assert message == "3 errors in schools.csv; nothing was written"
    assert School.objects.count() == 0
    assert District.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_the_report_lists_line_field_and_message(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
        {HEADER}
        Alpha High,100,high,abc,-85.75,-3,,
        """,
    )

    report = schools_import(path=path)

    assert report.errors == (
        ImportIssue(2, "latitude", "'abc' is not a number"),
        ImportIssue(2, "enrollment", "'-3' is not a whole number of 0 or more"),
    )
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)


@pytest.mark.django_db
def test_missing_required_columns_are_one_error(tmp_path: Path) -> None:
    path = write(tmp_path, "name,latitude,address\nAlpha High,38.2,1 Main St\n")

    message, errors = run_rejected(str(path))

    assert errors == ["line 1: columns: missing required columns: level, longitude"]
    assert message == "1 error in schools.csv; nothing was written"


@pytest.mark.django_db
def test_required_values_grades_and_duplicate_codes_are_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        name,code,level,lat,lon,grade_low,grade_high,active
        ,100,high,38.2,-85.7,9,12,true
        Beta Elementary,101,elementary,38.2,inf,K,13,yes
        Gamma Middle,101,middle,38.2,-185,8,6,maybe
        """,
    )

    _, errors = run_rejected(str(path))

    assert errors == [
        "line 2: name: a value is required",
        "line 3: longitude: 'inf' is not a number",
        "line 3: grade_high: '13' is not a known grade "
        "(allowed: PK, K, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14)",
        "line 4: longitude: '-185' is not between -180 and 180",
        "line 4: grade_high: '6' is below the lowest grade '8'",
        "line 4: active: 'maybe' is not true or false",
        "line 4: code: '101' is already used on line 3",
    ]


@pytest.mark.django_db
def test_a_feeder_may_name_a_high_school_later_in_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
        {HEADER}
        Beta Elementary,101,elementary,38.20,-85.70,400,Alpha High,Alpha High
        Alpha High,100,high,38.25,-85.75,1200,Alpha High,
        """,
    )

    out, _ = run_import(str(path))

    assert "2 created, 0 updated, 0 unchanged" in out
    alpha = School.objects.get(name="Alpha High")
    beta = School.objects.get(name="Beta Elementary")
    assert beta.feeder_high_school == alpha
    assert beta.resides_high_school == alpha
    assert alpha.feeder_high_school == alpha
    assert alpha.resides_high_school is None


@pytest.mark.django_db
def test_a_feeder_must_exist_and_be_a_high_or_combined_school(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
        {HEADER}
        Beta Elementary,101,elementary,38.20,-85.70,400,Gamma Middle,Nowhere High
        Gamma Middle,102,middle,38.25,-85.75,600,Gamma Middle,
        Delta Combined,103,combined,38.26,-85.76,900,Delta Combined,Delta Combined
        """,
    )

    _, errors = run_rejected(str(path), "--district", "Test district")

    assert errors == [
        "line 2: feeder_high_school: 'Gamma Middle' has level 'middle'; "
        "it must be a high or combined school",
        "line 2: resides_high_school: 'Nowhere High' is not a school in this file "
        "or in district 'Test district'",
        "line 3: feeder_high_school: 'Gamma Middle' has level 'middle'; "
        "it must be a high or combined school",
    ]


@pytest.mark.django_db
def test_a_feeder_may_be_a_high_school_already_in_the_district(
    tmp_path: Path, small_file: Path
) -> None:
    run_import(str(small_file))
    path = write(
        tmp_path,
        f"""
        {HEADER}
        Epsilon Elementary,104,elementary,38.21,-85.71,300,alpha high,
        """,
        name="more.csv",
    )

    out, _ = run_import(str(path))

    assert "1 created, 0 updated, 0 unchanged" in out
    epsilon = School.objects.get(name="Epsilon Elementary")
    assert epsilon.feeder_high_school == School.objects.get(name="Alpha High")


@pytest.mark.django_db
def test_split_feeders_set_the_other_feeder_high_schools(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
        {HEADER}
        Alpha High,100,high,38.25,-85.75,1200,Alpha High,
        Omega High,109,high,38.27,-85.77,1100,Omega High,
        Zeta Middle,105,middle,38.22,-85.72,700,Omega High; Alpha High,Alpha High
        """,
    )

    run_import(str(path))

    zeta = School.objects.get(name="Zeta Middle")
    assert zeta.feeder_high_school == School.objects.get(name="Omega High")
    assert list(zeta.other_feeder_high_schools.all()) == [School.objects.get(name="Alpha High")]
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(zeta.pk))
    assert entry.actor_label == "system:import-schools"
    assert entry.changes["name"] == [None, "Zeta Middle"]


@pytest.mark.django_db
def test_geojson_features_import_with_lon_lat_order(tmp_path: Path) -> None:
    def feature(coordinates: Any, **properties: Any) -> dict[str, Any]:
        geometry = {"type": "Point", "coordinates": coordinates}
        return {"type": "Feature", "geometry": geometry, "properties": properties}

    collection = {
        "type": "FeatureCollection",
        "features": [
            feature([-85.7, 38.2], name="Beta Elementary", level="elementary",
                    feeder_high_school="Alpha High", enrollment=400, colour="red"),
            feature([-85.75, 38.25], name="Alpha High", state_school_code="100", level="high",
                    feeder_high_school="Alpha High", enrollment=None),
        ],
    }  # fmt: skip
    path = tmp_path / "schools.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")

    out, _ = run_import(str(path))

    assert "ignored columns: colour" in out
    assert "2 created, 0 updated, 0 unchanged" in out
    beta = School.objects.get(name="Beta Elementary")
    assert (beta.latitude, beta.longitude, beta.enrollment) == (38.2, -85.7, 400)
    assert beta.feeder_high_school == School.objects.get(code="100")


@pytest.mark.django_db
def test_geojson_errors_name_the_feature_index(tmp_path: Path) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-85.7, 138.2]},
             "properties": {"name": "Beta Elementary", "level": "elementary"}},
            {"type": "Feature", "geometry": None, "properties": {"name": "Alpha High"}},
        ],
    }  # fmt: skip
    path = tmp_path / "schools.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")

    _, errors = run_rejected(str(path))

    assert errors == [
        "feature 0: latitude: '138.2' is not between -90 and 90",
        "feature 1: geometry: expected a Point geometry with coordinates [longitude, latitude]",
        "feature 1: level: a value is required",
    ]


@pytest.mark.django_db
def test_dry_run_counts_changes_and_writes_nothing(small_file: Path) -> None:
    out, _ = run_import(str(small_file), "--dry-run")

    assert "dry run, nothing written: would be 2 created, 0 updated, 0 unchanged" in out
    assert School.objects.count() == 0
    assert District.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_file_leaves_existing_schools_untouched(tmp_path: Path, small_file: Path) -> None:
    run_import(str(small_file))
    before = {school.pk: (school.name, school.enrollment) for school in School.objects.all()}
    audit_count = AuditEntry.objects.count()
    bad = write(
        tmp_path,
        f"""
        {HEADER}
        Alpha High,100,high,38.25,-85.75,999,Alpha High,Alpha High
        Beta Elementary,101,elementary,38.20,-85.70,many,Alpha High,Alpha High
        """,
        name="bad.csv",
    )

    _, errors = run_rejected(str(bad))

    assert errors == ["line 3: enrollment: 'many' is not a whole number of 0 or more"]
    after = {school.pk: (school.name, school.enrollment) for school in School.objects.all()}
    assert after == before
    assert AuditEntry.objects.count() == audit_count


@pytest.mark.django_db
def test_upsert_by_code_updates_changed_fields_and_audits_before_and_after(
    tmp_path: Path, small_file: Path
) -> None:
    run_import(str(small_file))
    alpha = School.objects.get(code="100")
    changed = write(
        tmp_path,
        f"""
        {HEADER}
        Alpha Senior High,100,high,38.25,-85.75,1300,Alpha Senior High,Alpha Senior High
        Beta Elementary,101,elementary,38.20,-85.70,400,Alpha Senior High,Alpha Senior High
        """,
        name="changed.csv",
    )

    out, _ = run_import(str(changed))

    assert "0 created, 1 updated, 1 unchanged" in out
    alpha.refresh_from_db()
    assert (alpha.name, alpha.enrollment) == ("Alpha Senior High", 1300)
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.object_id == str(alpha.pk)
    assert entry.changes == {
        "enrollment": [1234, 1300],
        "name": ["Alpha High", "Alpha Senior High"],
    }
    assert entry.actor_label == "system:import-schools"


@pytest.mark.django_db
def test_rows_without_a_code_upsert_by_name(tmp_path: Path) -> None:
    first = write(tmp_path, "name,level,lat,lon\nAlpha High,high,38.25,-85.75\n")
    run_import(str(first))
    second = write(
        tmp_path, "name,level,lat,lon,active\nAlpha High,high,38.26,-85.75,false\n", "b.csv"
    )

    out, _ = run_import(str(second))

    assert "0 created, 1 updated, 0 unchanged" in out
    alpha = School.objects.get()
    assert (alpha.latitude, alpha.active) == (38.26, False)


@pytest.mark.django_db
def test_several_districts_need_a_district_name(small_file: Path) -> None:
    District.objects.create(name="North")
    District.objects.create(name="South")

    with pytest.raises(SchoolImportError) as excinfo:
        schools_import(path=small_file)
    assert str(excinfo.value) == ERROR_DISTRICT_AMBIGUOUS.format(names="North, South")

    out, _ = run_import(str(small_file), "--district", "South")
    assert "2 created, 0 updated, 0 unchanged in district 'South'" in out
    assert School.objects.filter(district__name="South").count() == 2


@pytest.mark.django_db
def test_demoting_a_high_school_that_others_still_feed_is_rejected(
    tmp_path: Path, small_file: Path
) -> None:
    run_import(str(small_file))
    demote = write(
        tmp_path,
        "name,code,level,lat,lon,feeder_high_school\nAlpha High,100,middle,38.25,-85.75,\n",
        name="demote.csv",
    )

    _, errors = run_rejected(str(demote))

    assert errors == [
        "line 2: level: 'middle' would make 'Alpha High' no longer a high school, "
        "but 1 school(s) not in this file still name it as their high school"
    ]


@pytest.mark.django_db
def test_csv_structure_problems_are_reported(tmp_path: Path) -> None:
    twice = write(tmp_path, "name,level,lat,latitude,lon\nAlpha High,high,38,38,-85\n", "a.csv")
    wide = write(tmp_path, "name,level,lat,lon\nAlpha High,high,38,-85,extra\n", "b.csv")

    assert run_rejected(str(twice))[1] == [
        "line 1: columns: 'lat' and 'latitude' are the same field (latitude); keep one"
    ]
    assert run_rejected(str(wide))[1] == ["line 2: row: has 5 values but the header has 4 columns"]


@pytest.mark.django_db
def test_geojson_structure_problems_are_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")
    not_features = tmp_path / "odd.geojson"
    not_features.write_text(
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Polygon"}]}),
        encoding="utf-8",
    )

    assert run_rejected(str(broken))[1] == ["line 2: file: not valid JSON: Expecting value"]
    assert run_rejected(str(not_features))[1] == [
        "feature 0: feature: expected a GeoJSON Feature object"
    ]


@pytest.mark.django_db
def test_the_importer_refuses_what_the_planner_refuses(tmp_path: Path) -> None:
    """One set of rules (planning.io.rules): a school at 0, 0 and a school far from the others
    are refused with their lines by both `import-schools` and `safeops plan`."""
    path = write(
        tmp_path,
        """
        name,level,lat,lon
        Alpha High,high,38.25,-85.75
        Beta Elementary,elementary,38.20,-85.70
        Gamma Middle,middle,38.22,-85.72
        Lost Elementary,elementary,0,0
        Typo High,high,83.25,-85.75
        """,
    )
    _message, errors = run_rejected(str(path))
    assert errors[0] == f"line 5: latitude: {MESSAGE_NULL_ISLAND}"
    assert errors[1].startswith("line 6: latitude: 'Typo High' lies ")
    assert School.objects.count() == 0
    with pytest.raises(InputError) as planner:
        read_schools(path)
    assert planner.value.line == 5


def test_the_importer_and_the_planner_know_the_same_levels() -> None:
    assert set(LEVELS) == set(SchoolLevel.values)
