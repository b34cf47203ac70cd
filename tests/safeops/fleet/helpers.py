"""Shared set-up for the fleet tests: a district checklist and one assigned vehicle."""

from __future__ import annotations

import datetime as dt

from safeops.fleet.models import ChecklistItem, Vehicle
from safeops.fleet.services import Answer, checklist_defaults_seed, vehicle_assign, vehicle_create
from safeops.schools.models import District
from safeops.staff.models import Person

ACTOR = "system:test"


def assigned_vehicle(district: District, officer: Person, unit: str = "SSO-01") -> Vehicle:
    checklist_defaults_seed(district=district, actor=ACTOR)
    vehicle = vehicle_create(district=district, unit_number=unit, actor=ACTOR, odometer=41000)
    vehicle_assign(vehicle=vehicle, person=officer, starts_on=dt.date(2026, 1, 5), actor=ACTOR)
    return vehicle


def all_ok(district: District, **failed: str) -> dict[int, Answer]:
    """An answer per active item: ok, except the codes given (code=remark) which fail."""
    answers = {}
    for item in ChecklistItem.objects.filter(district=district, active=True):
        remark = failed.get(item.code.replace("-", "_"))
        answers[item.pk] = Answer(ok=remark is None, remark=remark or "")
    return answers
