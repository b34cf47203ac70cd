"""The shifts CSV goes through the shared import pipeline: every problem with its line and
field, nothing written unless the whole file is good; a dry run writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from safeops.core.importing import Rejected
from safeops.roster.models import LeaveKind, Shift
from safeops.roster.services import leave_record, shifts_import_csv
from safeops.staff.choices import Role
from safeops.staff.models import Person
from tests.safeops.factories import PersonFactory, ScenarioDistrict
from tests.safeops.roster.helpers import ACTOR, at

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


@pytest.fixture
def officers(scenario: ScenarioDistrict) -> tuple[Person, Person]:
    a = scenario.people[Role.SSO]
    Person.objects.filter(pk=a.pk).update(email="a@example.org")
    a.refresh_from_db()
    b = PersonFactory(
        district=scenario.district, role=Role.SSO, user=None, badge_number="B-77", email=""
    )
    return a, b


def test_a_good_file_writes_every_shift(officers: tuple[Person, Person]) -> None:
    a, b = officers
    data = (
        b"Officer,Date,Start,End,Comment\n"
        b"A@example.org,2026-12-07,07:00,15:00,\n"
        b"b-77,2026-12-07,22:00,06:00,night\n"
    )
    assert shifts_import_csv(district=a.district, data=data, actor=ACTOR).result == 2
    night = Shift.objects.get(person=b)
    assert (night.starts_at, night.ends_at, night.comment) == (
        at(dt.date(2026, 12, 7), 22),
        at(dt.date(2026, 12, 8), 6),
        "night",
    )
    assert Shift.objects.filter(person=a).count() == 1


def test_a_bad_file_lists_every_problem_by_line_and_writes_nothing(
    officers: tuple[Person, Person],
) -> None:
    a, b = officers
    leave_record(
        person=b,
        first_day=dt.date(2026, 12, 9),
        last_day=dt.date(2026, 12, 9),
        kind=LeaveKind.DAY_OFF,
        actor=ACTOR,
    )
    data = (
        b"officer;date;start;end\n"
        b"a@example.org;2026-12-07;07:00;15:00\n"
        b"nobody@example.org;2026-12-07;07:00;15:00\n"
        b"a@example.org;2026-13-01;07:00;15:00\n"
        b"a@example.org;2026-12-07;14:00;18:00\n"
        b"b-77;2026-12-09;07:00;15:00\n"
        b"b-77;2026-12-10;7am;15:00\n"
    )
    with pytest.raises(Rejected) as rejected:
        shifts_import_csv(district=a.district, data=data, actor=ACTOR)
    found = [(i.line, i.field) for i in rejected.value.issues]
    assert found == [(3, "officer"), (4, "date"), (5, "start"), (6, "date"), (7, "start")]
    messages = [i.message for i in rejected.value.issues]
    assert "overlaps the shift on line 2" in messages[2]
    assert "on leave (Day off) from 2026-12-09 to 2026-12-09" in messages[3]
    assert Shift.objects.count() == 0


def test_a_dry_run_counts_and_writes_nothing(officers: tuple[Person, Person]) -> None:
    a, _b = officers
    data = b"officer,date,start,end\na@example.org,2026-12-07,07:00,15:00\n"
    outcome = shifts_import_csv(district=a.district, data=data, actor=ACTOR, dry_run=True)
    assert (outcome.result, outcome.dry_run) == (1, True)
    assert Shift.objects.count() == 0


def test_a_missing_column_is_reported_on_the_header_line(officers: tuple[Person, Person]) -> None:
    a, _b = officers
    with pytest.raises(Rejected) as rejected:
        shifts_import_csv(district=a.district, data=b"officer,date,start\nx,y,z\n", actor=ACTOR)
    assert [(i.line, i.field) for i in rejected.value.issues] == [(1, "columns")]
    assert "end" in rejected.value.issues[0].message
