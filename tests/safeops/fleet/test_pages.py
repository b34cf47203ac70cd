"""Fleet pages: the officer inspects their own vehicle on the phone (a critical failure takes
it out of service and shows on the supervisors' page); another vehicle is out of reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from safeops.fleet.models import ChecklistItem, EquipmentKind, FleetTask, Vehicle, VehicleStatus
from safeops.fleet.services import equipment_create, equipment_issue, vehicle_create
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.fleet.helpers import ACTOR, assigned_vehicle

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _client(scenario: ScenarioDistrict, role: Role) -> Client:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    return client


def _form(district: object, mileage: int, failing: str = "", remark: str = "") -> dict[str, str]:
    data = {"mileage": str(mileage)}
    for item in ChecklistItem.objects.filter(district=district):
        data[f"item_{item.pk}"] = "problem" if item.code == failing else "ok"
        data[f"remark_{item.pk}"] = remark if item.code == failing else ""
    return data


def test_the_officer_inspects_their_vehicle_and_a_brake_failure_grounds_it(
    scenario: ScenarioDistrict,
) -> None:
    vehicle = assigned_vehicle(scenario.district, scenario.people[Role.SSO])
    client = _client(scenario, Role.SSO)
    page = client.get("/fleet/inspect/").content.decode()
    assert "SSO-01" in page and "Brakes feel normal" in page
    response = client.post("/fleet/inspect/", _form(scenario.district, 40999))
    assert response.status_code == 422
    assert "The mileage cannot go down" in response.content.decode()
    response = client.post(
        "/fleet/inspect/", _form(scenario.district, 41050, "brakes", "grinding"), follow=True
    )
    assert "OUT OF SERVICE" in response.content.decode()
    vehicle.refresh_from_db()
    assert (vehicle.status, vehicle.odometer) == (VehicleStatus.OUT_OF_SERVICE, 41050)
    chief = _client(scenario, Role.SECURITY_CHIEF).get("/fleet/").content.decode()
    assert "Brakes feel normal: grinding" in chief and "Out of service" in chief


def test_the_officer_reaches_only_their_own_vehicle(scenario: ScenarioDistrict) -> None:
    assigned_vehicle(scenario.district, scenario.people[Role.SSO])
    other = vehicle_create(district=scenario.district, unit_number="SSO-09", actor=ACTOR)
    client = _client(scenario, Role.SSO)
    assert client.get("/fleet/")["Location"] == "/fleet/inspect/"
    assert client.get(f"/fleet/vehicles/{other.pk}/inspect/").status_code == 403
    assert (
        client.post(f"/fleet/vehicles/{other.pk}/status/", {"action": "return"}).status_code == 403
    )
    assert _client(scenario, Role.SAFETY_ADMINISTRATOR).get("/fleet/").status_code == 403


def test_the_supervisor_closes_the_task_and_returns_the_vehicle(scenario: ScenarioDistrict) -> None:
    vehicle = assigned_vehicle(scenario.district, scenario.people[Role.SSO])
    _client(scenario, Role.SSO).post(
        "/fleet/inspect/", _form(scenario.district, 41001, "tires", "flat")
    )
    client = _client(scenario, Role.DISPATCHER)
    client.post(f"/fleet/vehicles/{vehicle.pk}/status/", {"action": "return"})
    assert Vehicle.objects.get(pk=vehicle.pk).status == VehicleStatus.OUT_OF_SERVICE
    task = FleetTask.objects.get()
    client.post(f"/fleet/tasks/{task.pk}/close/", {"resolution": "Tire replaced"})
    client.post(f"/fleet/vehicles/{vehicle.pk}/status/", {"action": "return"})
    assert Vehicle.objects.get(pk=vehicle.pk).status == VehicleStatus.IN_SERVICE


def test_the_officer_sees_and_checks_only_their_equipment(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    mine = equipment_create(
        district=scenario.district,
        kind=EquipmentKind.AED,
        serial="AED-7",
        actor=ACTOR,
        expires_on=dt.date(2020, 1, 1),
    )
    equipment_issue(item=mine, person=officer, on=dt.date(2026, 1, 5), actor=ACTOR)
    stock = equipment_create(
        district=scenario.district, kind=EquipmentKind.RADIO, serial="R-9", actor=ACTOR
    )
    client = _client(scenario, Role.SSO)
    page = client.get("/fleet/equipment/").content.decode()
    assert "AED-7" in page and "Lapsed" in page and "R-9" not in page
    assert client.post(f"/fleet/equipment/{stock.pk}/check/", {"ok": "ok"}).status_code == 404
    client.post(f"/fleet/equipment/{mine.pk}/check/", {"ok": "ok", "expires_on": "2030-01-01"})
    mine.refresh_from_db()
    assert (mine.expires_on, mine.last_check_ok) == (dt.date(2030, 1, 1), True)


def test_the_supervisor_issues_and_takes_back_equipment(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    radio = equipment_create(
        district=scenario.district, kind=EquipmentKind.RADIO, serial="R-1", actor=ACTOR
    )
    client = _client(scenario, Role.DISPATCHER)
    client.post(f"/fleet/equipment/{radio.pk}/issue/", {"person": officer.pk})
    radio.refresh_from_db()
    assert radio.holder_id == officer.pk and radio.issued_on is not None
    client.post(f"/fleet/equipment/{radio.pk}/issue/", {"person": ""})
    radio.refresh_from_db()
    assert (radio.holder_id, radio.issued_on) == (None, None)
    sso = _client(scenario, Role.SSO)
    assert (
        sso.post(f"/fleet/equipment/{radio.pk}/issue/", {"person": officer.pk}).status_code == 403
    )


def test_the_supervisor_adds_a_vehicle_and_assigns_it(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    client = _client(scenario, Role.SECURITY_CHIEF)
    client.post("/fleet/vehicles/new/", {"unit_number": "SSO-33", "odometer": "1200"})
    vehicle = Vehicle.objects.get(unit_number="SSO-33")
    assert (vehicle.district_id, vehicle.odometer) == (scenario.district.pk, 1200)
    client.post(f"/fleet/vehicles/{vehicle.pk}/assign/", {"person": officer.pk})
    sso = _client(scenario, Role.SSO)
    assert "SSO-33" in sso.get("/fleet/inspect/").content.decode()
    client.post(f"/fleet/vehicles/{vehicle.pk}/assign/", {"person": ""})
    assert "No vehicle is assigned to you" in sso.get("/fleet/inspect/").content.decode()
    assert (
        sso.post("/fleet/vehicles/new/", {"unit_number": "X", "odometer": "1"}).status_code == 403
    )
