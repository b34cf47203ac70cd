"""The inspection rules: mileage never goes down; a failed item opens a task; a failed
critical item also takes the vehicle out of service until its critical tasks are closed.
Equipment: expiry and failed checks lapse an item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeops.fleet.models import (
    EquipmentKind,
    FleetTask,
    Inspection,
    TaskStatus,
    Vehicle,
    VehicleAssignment,
    VehicleStatus,
)
from safeops.fleet.selectors import equipment_state
from safeops.fleet.services import (
    equipment_check,
    equipment_create,
    equipment_issue,
    inspection_record,
    task_close,
    vehicle_assign,
    vehicle_create,
    vehicle_return_to_service,
)
from safeops.staff.choices import Role
from tests.safeops.factories import PersonFactory, ScenarioDistrict
from tests.safeops.fleet.helpers import ACTOR, all_ok, assigned_vehicle

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _inspect(vehicle: Vehicle, mileage: int, **failed: str) -> Inspection:
    return inspection_record(
        vehicle=vehicle,
        person=None,
        mileage=mileage,
        answers=all_ok(vehicle.district, **failed),
        actor=ACTOR,
    )


def test_a_clean_inspection_records_the_mileage(scenario: ScenarioDistrict) -> None:
    vehicle = assigned_vehicle(scenario.district, scenario.people[Role.SSO])
    inspection = _inspect(vehicle, 41012)
    vehicle.refresh_from_db()
    assert (inspection.passed, vehicle.odometer, vehicle.status) == (
        True,
        41012,
        VehicleStatus.IN_SERVICE,
    )
    assert inspection.results.count() == 11
    assert not FleetTask.objects.exists()


def test_mileage_cannot_go_down_and_nothing_is_written(scenario: ScenarioDistrict) -> None:
    vehicle = assigned_vehicle(scenario.district, scenario.people[Role.SSO])
    _inspect(vehicle, 41012)
    with pytest.raises(ValidationError) as refused:
        _inspect(vehicle, 41011, brakes="soft")
    assert refused.value.message_dict == {
        "mileage": ["The mileage cannot go down: the vehicle's odometer reads 41012."]
    }
    vehicle.refresh_from_db()
    assert (vehicle.odometer, vehicle.status) == (41012, VehicleStatus.IN_SERVICE)
    assert Inspection.objects.count() == 1 and not FleetTask.objects.exists()
    _inspect(vehicle, 41012)  # the same reading is fine (parked since)


def test_an_implausible_jump_is_refused(scenario: ScenarioDistrict) -> None:
    vehicle = assigned_vehicle(scenario.district, scenario.people[Role.SSO])
    with pytest.raises(ValidationError, match="more than 5000 miles"):
        _inspect(vehicle, 141000)


def test_a_failed_critical_item_opens_a_task_and_takes_the_vehicle_out(
    scenario: ScenarioDistrict,
) -> None:
    vehicle = assigned_vehicle(scenario.district, scenario.people[Role.SSO])
    inspection = _inspect(vehicle, 41020, brakes="pedal goes to the floor", body="dent, rear door")
    vehicle.refresh_from_db()
    assert inspection.passed is False
    assert vehicle.status == VehicleStatus.OUT_OF_SERVICE
    assert vehicle.status_reason == "Failed inspection: Brakes feel normal"
    tasks = {t.title: t.critical for t in FleetTask.objects.filter(vehicle=vehicle)}
    assert tasks == {
        "Brakes feel normal: pedal goes to the floor": True,
        "No new body damage: dent, rear door": False,
    }
    with pytest.raises(ValidationError, match="1 critical task"):
        vehicle_return_to_service(vehicle=vehicle, actor=ACTOR)
    brakes = FleetTask.objects.get(vehicle=vehicle, critical=True)
    task_close(task=brakes, resolution="Pads and fluid replaced", actor=ACTOR)
    with pytest.raises(ValidationError, match="already done"):
        task_close(task=brakes, resolution="again", actor=ACTOR)
    vehicle = vehicle_return_to_service(vehicle=vehicle, actor=ACTOR)
    assert (vehicle.status, vehicle.status_reason) == (VehicleStatus.IN_SERVICE, "")
    # The body-damage task stays open: it does not keep the vehicle off the road.
    assert FleetTask.objects.filter(vehicle=vehicle, status=TaskStatus.OPEN).count() == 1


def test_a_failed_minor_item_opens_a_task_only(scenario: ScenarioDistrict) -> None:
    vehicle = assigned_vehicle(scenario.district, scenario.people[Role.SSO])
    _inspect(vehicle, 41020, first_aid="gauze used up")
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.IN_SERVICE
    assert FleetTask.objects.get().title == "First-aid kit and trauma kit stocked: gauze used up"


def test_every_item_must_be_answered(scenario: ScenarioDistrict) -> None:
    vehicle = assigned_vehicle(scenario.district, scenario.people[Role.SSO])
    answers = all_ok(scenario.district)
    answers.pop(next(iter(answers)))
    with pytest.raises(ValidationError, match="Answer every item: Emergency lights and siren"):
        inspection_record(vehicle=vehicle, person=None, mileage=41001, answers=answers, actor=ACTOR)
    assert not Inspection.objects.exists()


def test_a_vehicle_and_an_officer_have_one_open_assignment(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    first = assigned_vehicle(scenario.district, officer)
    second = vehicle_create(district=scenario.district, unit_number="SSO-02", actor=ACTOR)
    vehicle_assign(vehicle=second, person=officer, starts_on=dt.date(2026, 3, 1), actor=ACTOR)
    rows = VehicleAssignment.objects.filter(person=officer).order_by("starts_on")
    assert [(r.vehicle_id, r.starts_on, r.ends_on) for r in rows] == [
        (first.pk, dt.date(2026, 1, 5), dt.date(2026, 3, 1)),
        (second.pk, dt.date(2026, 3, 1), None),
    ]


def test_equipment_lapses_when_expired_or_failed(scenario: ScenarioDistrict) -> None:
    officer = scenario.people[Role.SSO]
    today = dt.date(2026, 12, 4)
    naloxone = equipment_create(
        district=scenario.district,
        kind=EquipmentKind.NALOXONE,
        serial="NX-1",
        expires_on=today - dt.timedelta(days=1),
        actor=ACTOR,
    )
    equipment_issue(item=naloxone, person=officer, on=today, actor=ACTOR)
    state = equipment_state(naloxone, on=today)
    assert (state.expired, state.lapsed, state.check_due) == (True, True, True)
    equipment_check(
        item=naloxone, ok=True, on=today, actor=ACTOR, expires_on=today + dt.timedelta(days=20)
    )
    naloxone.refresh_from_db()
    state = equipment_state(naloxone, on=today)
    assert (state.expired, state.expiring, state.lapsed, state.check_due) == (
        False,
        True,
        False,
        False,
    )
    equipment_check(item=naloxone, ok=False, on=today, actor=ACTOR, remark="seal broken")
    naloxone.refresh_from_db()
    assert equipment_state(naloxone, on=today).lapsed is True
    assert equipment_state(naloxone, on=today + dt.timedelta(days=31)).check_due is True


def test_equipment_goes_to_an_officer_of_the_district(scenario: ScenarioDistrict) -> None:
    radio = equipment_create(
        district=scenario.district, kind=EquipmentKind.RADIO, serial="R-1", actor=ACTOR
    )
    stranger = PersonFactory(role=Role.SSO, user=None)
    with pytest.raises(ValidationError, match="another district"):
        equipment_issue(item=radio, person=stranger, on=dt.date(2026, 12, 4), actor=ACTOR)
