"""Bell schedule and patrol point imports: good files, bad rows with line numbers, JCPS."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safeops.core.models import AuditEntry
from safeops.patrol.importing import (
    ImportSummary,
    bell_schedules_import,
    parse_time,
    patrol_points_import,
)
from safeops.patrol.importing_days import bell_overrides_import
from safeops.patrol.models import BellOverride, BellSchedule, PatrolPoint
from safeops.schools.importing import schools_import
from safeops.schools.models import District, School
from tests.conftest import SHARED_DATA
from tests.safeops.factories import SchoolFactory
from tests.safeops.patrol.conftest import PatrolScenario

pytestmark = pytest.mark.shared_scenario

ACTOR = "system:test"


def _imported(
    importer: Callable[..., ImportSummary], data: bytes, district_id: int
) -> ImportSummary:
    summary: ImportSummary = importer(data=data, district_id=district_id, actor=ACTOR)
    assert summary.ok, summary.errors
    return summary


def _errors(importer: Callable[..., ImportSummary], data: bytes, district_id: int) -> list[str]:
    """The import's problems, as the command prints them."""
    return [str(i) for i in importer(data=data, district_id=district_id, actor=ACTOR).errors]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("7:30 a.m.", 450), ("1 p.m.", 780), ("12:05 AM", 5), ("12 pm", 720), ("14:10", 850)],
)
def test_times_of_day(text: str, minutes: int) -> None:
    assert parse_time(text) == minutes


@pytest.mark.parametrize("text", ["25:00", "13 p.m.", "noon", "7.30", ""])
def test_not_times_of_day(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.django_db
def test_bells_by_code_and_by_name(patrol: PatrolScenario) -> None:
    s = patrol.s
    School.objects.filter(pk=s.school_b.pk).update(code="275123")
    data = (
        b"School Code,School Name,Start Time,End Time\n"
        b"275123,ignored when a code is given,7:30 a.m.,2:10 p.m.\n"
        b",b high,08:40,15:20\n"
        b"275000,All Schools,,\n"
    )
    summary = _imported(bell_schedules_import, data, s.district.pk)
    assert (summary.created, summary.skipped) == (2, (4,))
    bell = BellSchedule.objects.get(school=s.school_b)
    assert (bell.start_minute, bell.end_minute) == (450, 850)
    assert BellSchedule.objects.get(school=s.high_b).start_minute == 520
    assert AuditEntry.objects.filter(model="patrol.bellschedule").count() == 2
    again = bell_schedules_import(data=data, district_id=s.district.pk, actor=ACTOR)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.django_db
def test_bad_bell_rows_are_named_and_nothing_is_written(patrol: PatrolScenario) -> None:
    s = patrol.s
    BellSchedule.objects.all().delete()
    data = (
        b"name,start_time,end_time\n"
        b"A High,7:30 a.m.,2:10 p.m.\n"
        b"Nowhere Elementary,8:00,14:00\n"
        b"B High,half past seven,14:00\n"
        b"B Middle,15:00,09:00\n"
        b"A High,8:00,15:00\n"
        b"A Middle,8:00,\n"
    )
    assert _errors(bell_schedules_import, data, s.district.pk) == [
        "line 3: name: no school named 'Nowhere Elementary' in this district",
        "line 4: start: 'half past seven' is not a time of day (e.g. 7:30 a.m., 2:10 PM or 14:10)",
        "line 5: end: 09:00 is not after the start 15:00",
        "line 6: start: this school already has other times on line 2",
        "line 7: end: give both the start and the end time, or neither",
    ]
    assert not BellSchedule.objects.exists()


@pytest.mark.django_db
def test_points_good_file(patrol: PatrolScenario) -> None:
    header = b"name,kind,lat,lon,start_time,end_time,risk\n"
    stop_row = b"Stop 14 Oak St,bus stop,38.205,-85.695,6:50 a.m.,7:10 a.m.,1.5\n"
    _imported(
        patrol_points_import,
        header + stop_row + b"Park,park,38.201,-85.57,,,\n",
        patrol.s.district.pk,
    )
    stop = PatrolPoint.objects.get(name="Stop 14 Oak St")
    assert (stop.kind, stop.window_start, stop.window_end, stop.risk) == ("bus_stop", 410, 430, 1.5)
    assert PatrolPoint.objects.get(name="Park").window_start is None


@pytest.mark.django_db
def test_bad_point_rows(patrol: PatrolScenario) -> None:
    data = (
        b"name,kind,lat,lon\n"
        b"Zero,park,0,0\n"
        b"Far away,park,40.7,-74.0\n"
        b"Bad kind,spaceport,38.2,-85.7\n"
        b"No number,park,north,-85.7\n"
        b",park,38.2,-85.7\n"
        b"Twice,park,38.2,-85.7\n"
        b"twice,park,38.21,-85.7\n"
    )
    assert _errors(patrol_points_import, data, patrol.s.district.pk) == [
        "line 2: latitude: (0, 0) is not a place in the district: the coordinates are missing",
        "line 3: latitude: (40.7, -74.0) is outside the district's area",
        "line 4: kind: 'spaceport' is not a kind of point"
        " (allowed: bus_stop, park, corridor, other)",
        "line 5: latitude: 'north' is not a number",
        "line 6: name: a value is required",
        "line 8: name: 'twice' is already on line 7",
    ]
    assert not PatrolPoint.objects.exists()


@pytest.mark.django_db
def test_points_need_a_district_area() -> None:
    district = District.objects.create(name="Empty")
    assert _errors(patrol_points_import, b"name,lat,lon\nA,38.2,-85.7\n", district.pk) == [
        "line 2: latitude: the district has no schools yet, so its area is unknown"
    ]


@pytest.mark.django_db
def test_missing_columns_are_reported() -> None:
    school = SchoolFactory()
    assert _errors(bell_schedules_import, b"name,start\nX,8:00\n", school.district_id) == [
        "line 1: columns: missing required columns: end"
    ]


@pytest.mark.django_db
def test_the_jcps_file_imports_as_it_is() -> None:
    merged = SHARED_DATA / "JCPS_Merged_Data.csv"
    schools = SHARED_DATA / "schools.csv"
    if not (merged.exists() and schools.exists()):
        pytest.skip(f"JCPS data not found in {SHARED_DATA}")
    assert schools_import(path=schools, district_name="JCPS").ok
    district = District.objects.get(name="JCPS")
    summary = bell_schedules_import(data=merged.read_bytes(), district_id=district.pk, actor=ACTOR)
    assert summary.ok, summary.errors[:5]
    codes = set(School.objects.filter(district=district).values_list("code", flat=True))
    with merged.open(encoding="utf-8-sig", newline="") as handle:
        in_file = {row["School Code"] for row in csv.DictReader(handle) if row["Start Time"]}
    assert summary.created == BellSchedule.objects.count() == len(codes & in_file) > 100
    assert len(summary.skipped) == 4  # the "All Schools" lines have no bells
    kennedy = BellSchedule.objects.get(school__code="275175")
    assert (kennedy.start_minute, kennedy.end_minute) == (9 * 60 + 40, 16 * 60 + 20)


@pytest.mark.django_db
def test_the_commands_report_rows_and_write_nothing_on_error(
    patrol: PatrolScenario, tmp_path: Path
) -> None:
    good = tmp_path / "bells.csv"
    good.write_text("name,start,end\nA High,7:45 a.m.,2:10 p.m.\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_bells", str(good), "--district", patrol.s.district.name, stdout=out)
    assert "created 0, updated 1" in out.getvalue()  # the fixture had 7:30
    bad = tmp_path / "points.csv"
    bad.write_text("name,lat,lon\nStop,0,0\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_patrol_points", str(bad), stderr=err)
    assert "line 2: latitude: (0, 0)" in err.getvalue()
    assert not PatrolPoint.objects.exists()


@pytest.mark.django_db
def test_overrides_for_a_school_and_the_district(patrol: PatrolScenario) -> None:
    s = patrol.s
    data = (
        b"date,school,kind,minutes,note\n"
        b"2026-01-14,A High,late start,120,Snow\n"
        b"2026-01-15,,no school,,Snow day\n"
    )
    _imported(bell_overrides_import, data, s.district.pk)
    late = BellOverride.objects.get(school=s.high_a)
    assert (late.kind, late.shift_minutes, str(late.day)) == ("late_start", 120, "2026-01-14")
    closed = BellOverride.objects.get(school__isnull=True)
    assert (closed.kind, closed.note) == ("closed", "Snow day")
    bad = (
        b"date,school,kind,minutes\n"
        b"14/01/2026,A High,late start,120\n"
        b"2026-01-16,A High,half day,60\n"
        b"2026-01-16,B High,early release,\n"
        b"2026-01-17,,early release,30\n"
        b"2026-01-17,,late start,30\n"
    )
    assert _errors(bell_overrides_import, bad, s.district.pk) == [
        "line 2: date: '14/01/2026' is not a date (YYYY-MM-DD)",
        "line 3: kind: 'half day' is not a kind of day"
        " (allowed: late_start, early_release, closed)",
        "line 4: minutes: '' is not a whole number of minutes from 1 to 240",
        "line 6: date: this school and date are already on line 5",
    ]
    assert BellOverride.objects.count() == 2
