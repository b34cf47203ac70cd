"""Reads of the fleet and equipment, narrowed by safeops.access.

An officer (SSO) sees the vehicle currently assigned to them, its inspections and tasks, and
the equipment they hold; the security chief and dispatchers see the district's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from safeops.access import Action, AnyUser, current_filter, restrict, viewer_for
from safeops.fleet.defaults import CHECK_EVERY_DAYS, EXPIRING_WITHIN_DAYS
from safeops.fleet.models import (
    ChecklistItem,
    EquipmentItem,
    FleetTask,
    Inspection,
    TaskStatus,
    Vehicle,
    VehicleAssignment,
)
from safeops.staff.choices import Role
from safeops.staff.models import Person


@dataclass(frozen=True)
class VehicleRow:
    vehicle: Vehicle
    officer: str
    officer_id: int | None
    last_inspection: Inspection | None
    open_tasks: list[FleetTask]


def vehicles_for_user(*, user: AnyUser, on: dt.date) -> list[VehicleRow]:
    vehicles = list(restrict(Vehicle.objects.all(), user).order_by("unit_number"))
    ids = [v.pk for v in vehicles]
    officers = {
        vehicle_id: (person_id, name)
        for vehicle_id, person_id, name in VehicleAssignment.objects.filter(
            current_filter(on), vehicle_id__in=ids
        ).values_list("vehicle_id", "person_id", "person__full_name")
    }
    last: dict[int, Inspection] = {}
    for inspection in Inspection.objects.filter(vehicle_id__in=ids).order_by(
        "vehicle_id", "-inspected_at", "-pk"
    ):
        last.setdefault(inspection.vehicle_id, inspection)
    tasks: dict[int, list[FleetTask]] = defaultdict(list)
    for task in FleetTask.objects.filter(vehicle_id__in=ids, status=TaskStatus.OPEN):
        tasks[task.vehicle_id].append(task)
    rows = []
    for v in vehicles:
        officer_id, officer = officers.get(v.pk, (None, ""))
        rows.append(VehicleRow(v, officer, officer_id, last.get(v.pk), tasks.get(v.pk, [])))
    return rows


def my_vehicle(*, user: AnyUser, on: dt.date) -> Vehicle | None:
    """The vehicle currently assigned to the user (None: none)."""
    person_id = viewer_for(user).person_id
    if person_id is None:
        return None
    assignment = (
        VehicleAssignment.objects.filter(current_filter(on), person_id=person_id)
        .select_related("vehicle")
        .first()
    )
    return assignment.vehicle if assignment is not None else None


def vehicle_get_for_user(
    *, user: AnyUser, vehicle_id: int, action: Action = Action.VIEW
) -> Vehicle:
    vehicle = restrict(Vehicle.objects.filter(pk=vehicle_id), user, action).first()
    if vehicle is None:
        raise Http404(gettext("No such vehicle in your scope."))
    return vehicle


def task_get_for_user(*, user: AnyUser, task_id: int, action: Action = Action.VIEW) -> FleetTask:
    task = restrict(FleetTask.objects.filter(pk=task_id), user, action).first()
    if task is None:
        raise Http404(gettext("No such task in your scope."))
    return task


def checklist_of(*, district_id: int) -> QuerySet[ChecklistItem]:
    """The district's active checklist, in order (not sensitive: the same for every officer)."""
    return ChecklistItem.objects.filter(district_id=district_id, active=True).order_by(
        "position", "pk"
    )


def inspections_of(*, vehicle: Vehicle, limit: int = 10) -> list[Inspection]:
    """A vehicle's latest inspections (the caller got the vehicle through a selector)."""
    return list(
        Inspection.objects.filter(vehicle=vehicle)
        .select_related("person")
        .prefetch_related("results__item")[:limit]
    )


# --- Equipment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EquipmentState:
    item: EquipmentItem
    expired: bool
    expiring: bool
    check_due: bool
    failed: bool

    @property
    def lapsed(self) -> bool:
        """Not fit to carry: expired or failed its last check."""
        return self.expired or self.failed


def equipment_state(item: EquipmentItem, *, on: dt.date) -> EquipmentState:
    expired = item.expires_on is not None and item.expires_on < on
    expiring = (
        not expired
        and item.expires_on is not None
        and item.expires_on <= on + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
    )
    every = CHECK_EVERY_DAYS.get(item.kind, 30)
    check_due = item.last_checked_on is None or (on - item.last_checked_on).days > every
    return EquipmentState(item, expired, expiring, check_due, item.last_check_ok is False)


def equipment_for_user(*, user: AnyUser, on: dt.date) -> list[EquipmentState]:
    items = (
        restrict(EquipmentItem.objects.filter(active=True), user)
        .select_related("holder")
        .order_by("holder__full_name", "kind", "serial")
    )
    return [equipment_state(item, on=on) for item in items]


def equipment_get_for_user(
    *, user: AnyUser, item_id: int, action: Action = Action.VIEW
) -> EquipmentItem:
    item = restrict(EquipmentItem.objects.filter(pk=item_id), user, action).first()
    if item is None:
        raise Http404(gettext("No such equipment in your scope."))
    return item


def officers_of(*, user: AnyUser) -> QuerySet[Person]:
    """Active SSOs of the user's district (to issue vehicles and equipment to)."""
    officers = Person.objects.filter(role=Role.SSO, active=True)
    district_id = viewer_for(user).district_id
    if district_id is not None:
        officers = officers.filter(district_id=district_id)
    return officers.order_by("full_name")
