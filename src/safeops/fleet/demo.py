"""The fleet part of the demo district: the default checklist, a car per SSO, a radio, body
camera, AED and naloxone each; one car out of service after a failed brake check, one
naloxone expired and one set of AED pads expiring this month."""

from __future__ import annotations

import datetime as dt

from safeops.core.audit import Actor
from safeops.fleet.models import ChecklistItem, EquipmentKind
from safeops.fleet.services import (
    Answer,
    checklist_defaults_seed,
    equipment_check,
    equipment_create,
    inspection_record,
    vehicle_assign,
    vehicle_create,
)
from safeops.schools.models import District
from safeops.staff.choices import Role
from safeops.staff.models import Person

EXPIRES_IN_DAYS = {EquipmentKind.NALOXONE: 300, EquipmentKind.AED: 400}


def fleet_demo_seed(*, district: District, today: dt.date, actor: Actor) -> int:
    """Returns how many vehicles were written."""
    checklist_defaults_seed(district=district, actor=actor)
    items = list(ChecklistItem.objects.filter(district=district, active=True))
    officers = list(
        Person.objects.filter(district=district, role=Role.SSO, active=True).order_by("pk")
    )
    since = today - dt.timedelta(days=60)
    for index, officer in enumerate(officers):
        vehicle = vehicle_create(
            district=district,
            unit_number=f"SSO-{index + 1:02d}",
            description="Ford Police Interceptor Utility",
            odometer=31000 + 1700 * index,
            actor=actor,
        )
        vehicle_assign(vehicle=vehicle, person=officer, starts_on=since, actor=actor)
        if index < 3:  # a few inspections; the second car's brakes failed
            failed = "brakes" if index == 1 else ""
            inspection_record(
                vehicle=vehicle,
                person=officer,
                mileage=vehicle.odometer + 12,
                answers={
                    i.pk: Answer(
                        ok=i.code != failed, remark="soft pedal" if i.code == failed else ""
                    )
                    for i in items
                },
                actor=actor,
            )
        for kind in EquipmentKind:
            expires = None
            if kind in EXPIRES_IN_DAYS:
                expires = today + dt.timedelta(days=EXPIRES_IN_DAYS[kind] - 40 * index)
            if kind == EquipmentKind.NALOXONE and index == 2:
                expires = today - dt.timedelta(days=10)
            if kind == EquipmentKind.AED and index == 0:
                expires = today + dt.timedelta(days=20)
            item = equipment_create(
                district=district,
                kind=kind,
                serial=f"{kind.value[:3].upper()}-{100 + index}",
                expires_on=expires,
                holder=officer,
                issued_on=since,
                actor=actor,
            )
            if index < 4:
                equipment_check(item=item, ok=True, on=today - dt.timedelta(days=3), actor=actor)
    return len(officers)
