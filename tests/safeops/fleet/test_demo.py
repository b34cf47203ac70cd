"""The demo district's roster and fleet: every SSO on shift now (so dispatch recommends them),
one car grounded by a failed brake check, expired naloxone lapsed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeops.demo.services import demo_seed
from safeops.fleet.models import EquipmentItem, FleetTask, Vehicle, VehicleStatus
from safeops.fleet.selectors import equipment_state
from safeops.roster.selectors import on_shift_person_ids
from safeops.staff.choices import Role
from safeops.staff.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_puts_every_officer_on_shift_with_a_car_and_equipment() -> None:
    district = demo_seed(schools=24).district
    officers = set(
        Person.objects.filter(district=district, role=Role.SSO).values_list("pk", flat=True)
    )
    assert on_shift_person_ids(district_id=district.pk, at=timezone.now()) == officers
    assert Vehicle.objects.filter(district=district).count() == len(officers)
    grounded = Vehicle.objects.get(district=district, status=VehicleStatus.OUT_OF_SERVICE)
    assert FleetTask.objects.get(vehicle=grounded, critical=True).title == (
        "Brakes feel normal: soft pedal"
    )
    today = timezone.localdate()
    lapsed = [
        item.serial
        for item in EquipmentItem.objects.filter(district=district)
        if equipment_state(item, on=today).lapsed
    ]
    assert lapsed == ["NAL-102"]
