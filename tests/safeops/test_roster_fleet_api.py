"""The roster and fleet API: token auth, the pages' role checks, the same services (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from safeops.accounts.tokens import token_create
from safeops.core.models import AuditEntry
from safeops.fleet.models import ChecklistItem, FleetTask, Inspection
from safeops.roster.models import Leave, Shift
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.fleet.helpers import assigned_vehicle

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]
DAY = dt.date(2031, 3, 4)  # a Tuesday


def _api(user: Any) -> Client:
    _token, raw = token_create(user=user, name="t", actor="system:test")
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_supervisors_add_shifts_and_leave_and_officers_see_their_own(
    scenario: ScenarioDistrict,
) -> None:
    officer = scenario.people[Role.SSO]
    chief = _api(scenario.users[Role.SECURITY_CHIEF])
    shift = {
        "person_id": officer.pk,
        "starts_at": f"{DAY}T07:00:00",
        "ends_at": f"{DAY}T15:30:00",
        "comment": "day shift",
    }
    created = chief.post("/api/roster/shifts", shift, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["person_name"] == officer.full_name
    assert AuditEntry.objects.filter(model="roster.shift", action="create").count() == 1
    overlap = chief.post("/api/roster/shifts", shift, content_type="application/json")
    assert overlap.status_code == 422
    assert overlap.json()["errors"][0]["field"] == "person"
    leave = {"person_id": officer.pk, "first_day": str(DAY), "last_day": str(DAY), "kind": "sick"}
    refused = chief.post("/api/roster/leave", leave, content_type="application/json")
    assert refused.status_code == 422  # the day holds a shift: the service says so
    assert refused.json()["errors"][0]["field"] == "first_day"
    later = {**leave, "first_day": "2031-03-06", "last_day": "2031-03-07"}
    assert (
        chief.post("/api/roster/leave", later, content_type="application/json").status_code == 201
    )
    assert Leave.objects.get().kind == "sick"
    week = chief.get(f"/api/roster/shifts?week={DAY}").json()
    assert [row["id"] for row in week] == [Shift.objects.get().pk]
    assert len(chief.get(f"/api/roster/leave?week={DAY}").json()) == 1
    sso = _api(officer.user)
    assert [row["person_id"] for row in sso.get(f"/api/roster/shifts?week={DAY}").json()] == [
        officer.pk
    ]
    assert sso.post("/api/roster/shifts", shift, content_type="application/json").status_code == 403
    sa = _api(scenario.users[Role.SAFETY_ADMINISTRATOR])
    assert sa.get("/api/roster/shifts").status_code == 403
    assert Client().get("/api/roster/shifts").status_code == 401
    other = {**shift, "person_id": scenario.people[Role.SAFETY_ADMINISTRATOR].pk}
    not_sso = chief.post("/api/roster/shifts", other, content_type="application/json")
    assert not_sso.status_code == 422 and not_sso.json()["errors"][0]["field"] == "person_id"


def test_vehicles_are_listed_and_inspected_as_on_the_pages(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    vehicle = assigned_vehicle(scenario.district, officer)
    sso = _api(officer.user)
    rows = sso.get("/api/fleet/vehicles").json()
    assert [(r["id"], r["officer_id"]) for r in rows] == [(vehicle.pk, officer.pk)]
    items = sso.get("/api/fleet/checklist").json()
    assert {i["id"] for i in items} == set(
        ChecklistItem.objects.filter(district=scenario.district, active=True).values_list(
            "pk", flat=True
        )
    )
    critical = next(i for i in items if i["critical"])
    answers = [
        {"item_id": i["id"], "ok": i["id"] != critical["id"], "remark": "broken"} for i in items
    ]
    url = f"/api/fleet/vehicles/{vehicle.pk}/inspections"
    body = {"mileage": 41010, "answers": answers}
    done = sso.post(url, body, content_type="application/json")
    assert done.status_code == 201, done.json()
    assert (done.json()["passed"], done.json()["vehicle_status"]) == (False, "out_of_service")
    assert FleetTask.objects.filter(vehicle=vehicle).count() == 1
    assert AuditEntry.objects.filter(model="fleet.inspection", action="create").exists()
    down = sso.post(url, {**body, "mileage": 10}, content_type="application/json")
    assert down.status_code == 422 and down.json()["errors"][0]["field"] == "mileage"
    short = sso.post(url, {**body, "answers": answers[:1]}, content_type="application/json")
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "answers"
    spare = assigned_vehicle(scenario.district, scenario.people[Role.SSO], unit="SSO-02")
    spare.assignments.all().delete()
    unit = f"/api/fleet/vehicles/{spare.pk}/inspections"
    assert sso.post(unit, body, content_type="application/json").status_code == 404
    chief = _api(scenario.users[Role.SECURITY_CHIEF])
    assert len(chief.get("/api/fleet/vehicles").json()) == 2
    spare_body = {**body, "answers": [{**a, "ok": True} for a in answers]}
    assert chief.post(unit, spare_body, content_type="application/json").status_code == 201
    assert Inspection.objects.count() == 2
    sa = _api(scenario.users[Role.SAFETY_ADMINISTRATOR])
    assert sa.get("/api/fleet/vehicles").status_code == 403
    assert sa.post(url, body, content_type="application/json").status_code == 404
