"""Roster pages: supervisors manage the week and import shifts; an officer sees only their own
shifts (on the phone), and another officer's shift is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from safeops.roster.models import Leave, LeaveKind, Shift
from safeops.roster.selectors import week_start
from safeops.roster.services import leave_record
from safeops.staff.choices import Role
from safeops.staff.models import Person
from tests.safeops.factories import PersonFactory, ScenarioDistrict
from tests.safeops.roster.helpers import shift

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _client(scenario: ScenarioDistrict, role: Role) -> Client:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    return client


def test_the_dispatcher_adds_a_shift_from_the_week_page(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    client = _client(scenario, Role.DISPATCHER)
    today = timezone.localdate()
    response = client.post(
        "/roster/shifts/new/",
        {
            "shift-person": officer.pk,
            "shift-day": today.isoformat(),
            "shift-start": "07:00",
            "shift-end": "15:00",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/roster/?week={week_start(today).isoformat()}"
    page = client.get(response["Location"]).content.decode()
    assert officer.full_name in page and "07:00–15:00" in page
    # The same again overlaps: refused with the reason, nothing written.
    client.post(
        "/roster/shifts/new/",
        {
            "shift-person": officer.pk,
            "shift-day": today.isoformat(),
            "shift-start": "08:00",
            "shift-end": "12:00",
        },
    )
    assert Shift.objects.filter(person=officer).count() == 1


def test_the_officer_sees_only_their_own_shifts(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    other = PersonFactory(district=scenario.district, role=Role.SSO, user=None, full_name="Zed")
    today = timezone.localdate()
    mine = shift(officer, today + dt.timedelta(days=1), 7, 15)
    theirs = shift(other, today + dt.timedelta(days=1), 15, 23)
    client = _client(scenario, Role.SSO)
    assert client.get("/roster/")["Location"] == "/roster/mine/"
    page = client.get("/roster/mine/").content.decode()
    assert "07:00–15:00" in page and "15:00–23:00" not in page
    assert client.get(f"/roster/shifts/{mine.pk}/").status_code == 200
    assert client.get(f"/roster/shifts/{theirs.pk}/").status_code == 404
    assert client.post("/roster/shifts/new/", {}).status_code == 403


def test_roles_without_the_roster_are_refused(scenario: ScenarioDistrict) -> None:
    for role in (Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL, Role.COMMUNITY_MONITOR):
        assert _client(scenario, role).get("/roster/").status_code == 403


def test_the_import_page_lists_problems_by_line(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    Person.objects.filter(pk=officer.pk).update(email="a@example.org")
    client = _client(scenario, Role.SECURITY_CHIEF)
    bad = (
        b"officer,date,start,end\n"
        b"a@example.org,2026-12-07,07:00,15:00\n"
        b"x@example.org,2026-12-07,07:00,15:00\n"
    )
    response = client.post("/roster/import/", {"file": SimpleUploadedFile("s.csv", bad)})
    assert response.status_code == 422
    assert "line 3: officer: no active School Safety Officer" in response.content.decode()
    assert not Shift.objects.exists()
    good = SimpleUploadedFile("s.csv", bad.split(b"\nx@")[0] + b"\n")
    response = client.post("/roster/import/", {"file": good})
    assert response.status_code == 302 and Shift.objects.count() == 1


def test_the_supervisor_cancels_leave_and_the_officer_cannot(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    today = timezone.localdate()
    leave = leave_record(
        person=officer, first_day=today, last_day=today, kind=LeaveKind.SICK, actor="system:test"
    )
    assert _client(scenario, Role.SSO).post(f"/roster/leave/{leave.pk}/cancel/").status_code == 403
    page = _client(scenario, Role.SECURITY_CHIEF).get("/roster/").content.decode()
    assert "Sick leave" in page
    _client(scenario, Role.SECURITY_CHIEF).post(f"/roster/leave/{leave.pk}/cancel/")
    assert not Leave.objects.exists()
