"""Writes for vehicles, inspections, fleet tasks and equipment; validated and audited.

The inspection rule (docs/fleet.md): every active checklist item is answered; the mileage is
not below the vehicle's odometer; each failed item opens a task; a failed critical item takes
the vehicle out of service; the vehicle returns to service once no critical task is open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from safeops.accounts.models import User
from safeops.core.audit import Actor
from safeops.core.services import model_create, model_delete, model_update
from safeops.fleet.defaults import DEFAULT_CHECKLIST
from safeops.fleet.models import (
    ChecklistItem,
    EquipmentCheck,
    EquipmentItem,
    EquipmentKind,
    FleetTask,
    Inspection,
    InspectionResult,
    TaskStatus,
    Vehicle,
    VehicleAssignment,
    VehicleStatus,
)
from safeops.schools.models import District
from safeops.staff.models import Person

MILEAGE_DOWN = _("The mileage cannot go down: the vehicle's odometer reads {odometer}.")
MILEAGE_JUMP = _("{mileage} is more than {limit} miles above the odometer ({odometer}).")
ITEM_UNANSWERED = _("Answer every item: {items}.")
ITEM_UNKNOWN = _("Unknown checklist item {item}.")
VEHICLE_RETIRED = _("A retired vehicle is not inspected or assigned.")
OPEN_CRITICAL_TASKS = _("{count} critical task(s) are still open; close them first.")
TASK_DONE = _("The task is already done.")
OTHER_DISTRICT = _("{what} belongs to another district.")
OUT_OF_SERVICE_REASON = _("Failed inspection: {items}")
MAX_MILES_BETWEEN_INSPECTIONS = 5000


@dataclass(frozen=True)
class Answer:
    ok: bool
    remark: str = ""


def _same_district(vehicle: Vehicle, person: Person) -> None:
    if person.district_id != vehicle.district_id:
        raise ValidationError({"person": str(OTHER_DISTRICT).format(what=_("The officer"))})


def vehicle_create(
    *,
    district: District,
    unit_number: str,
    actor: Actor,
    description: str = "",
    plate: str = "",
    odometer: int = 0,
) -> Vehicle:
    return model_create(
        model=Vehicle,
        actor=actor,
        district=district,
        unit_number=unit_number.strip(),
        description=description.strip(),
        plate=plate.strip(),
        odometer=odometer,
    )


def vehicle_assign(
    *, vehicle: Vehicle, person: Person | None, starts_on: dt.date, actor: Actor
) -> VehicleAssignment | None:
    """Give the vehicle to `person` from `starts_on` (None: take it back). Ends the vehicle's
    open assignment and the officer's, so each has one at a time."""
    if vehicle.status == VehicleStatus.RETIRED:
        raise ValidationError(VEHICLE_RETIRED)
    if person is not None:
        _same_district(vehicle, person)
    with transaction.atomic():
        vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
        open_rows = VehicleAssignment.objects.filter(ends_on__isnull=True, vehicle=vehicle)
        if person is not None:
            open_rows = open_rows | VehicleAssignment.objects.filter(
                ends_on__isnull=True, person=person
            )
        for row in open_rows.select_for_update():
            if row.starts_on >= starts_on:  # not started yet: replaced
                model_delete(instance=row, actor=actor, note="replaced")
            else:
                model_update(instance=row, actor=actor, data={"ends_on": starts_on})
        if person is None:
            return None
        return model_create(
            model=VehicleAssignment,
            actor=actor,
            vehicle=vehicle,
            person=person,
            starts_on=starts_on,
        )


def checklist_defaults_seed(*, district: District, actor: Actor) -> int:
    """Add the default checklist items the district lacks; returns how many were added."""
    known = set(ChecklistItem.objects.filter(district=district).values_list("code", flat=True))
    added = 0
    for position, (code, label, critical) in enumerate(DEFAULT_CHECKLIST):
        if code in known:
            continue
        model_create(
            model=ChecklistItem,
            actor=actor,
            district=district,
            code=code,
            label=gettext_now(label),
            critical=critical,
            position=position * 10,
        )
        added += 1
    return added


def inspection_record(
    *,
    vehicle: Vehicle,
    person: Person | None,
    mileage: int,
    answers: Mapping[int, Answer],
    actor: Actor,
    notes: str = "",
    at: dt.datetime | None = None,
) -> Inspection:
    """Record a start-of-shift inspection (answers by checklist item id). See the module."""
    if vehicle.status == VehicleStatus.RETIRED:
        raise ValidationError(VEHICLE_RETIRED)
    items = list(ChecklistItem.objects.filter(district_id=vehicle.district_id, active=True))
    by_id = {item.pk: item for item in items}
    unknown = [key for key in answers if key not in by_id]
    if unknown:
        raise ValidationError({"answers": str(ITEM_UNKNOWN).format(item=unknown[0])})
    missing = [item.label for item in items if item.pk not in answers]
    if missing:
        raise ValidationError({"answers": str(ITEM_UNANSWERED).format(items=", ".join(missing))})
    with transaction.atomic():
        vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
        if mileage < vehicle.odometer:
            raise ValidationError({"mileage": str(MILEAGE_DOWN).format(odometer=vehicle.odometer)})
        if vehicle.odometer and mileage - vehicle.odometer > MAX_MILES_BETWEEN_INSPECTIONS:
            message = str(MILEAGE_JUMP).format(
                mileage=mileage, limit=MAX_MILES_BETWEEN_INSPECTIONS, odometer=vehicle.odometer
            )
            raise ValidationError({"mileage": message})
        failed = [by_id[key] for key, answer in answers.items() if not answer.ok]
        inspection = model_create(
            model=Inspection,
            actor=actor,
            vehicle=vehicle,
            person=person,
            inspected_at=at or timezone.now(),
            mileage=mileage,
            passed=not failed,
            notes=notes.strip(),
        )
        for item in items:
            answer = answers[item.pk]
            InspectionResult.objects.create(
                inspection=inspection, item=item, ok=answer.ok, remark=answer.remark.strip()[:200]
            )
        for item in failed:
            remark = answers[item.pk].remark.strip()
            model_create(
                model=FleetTask,
                actor=actor,
                vehicle=vehicle,
                inspection=inspection,
                item=item,
                title=f"{item.label}: {remark}"[:250] if remark else item.label,
                critical=item.critical,
            )
        data: dict[str, object] = {"odometer": mileage}
        critical = [item.label for item in failed if item.critical]
        if critical and vehicle.status == VehicleStatus.IN_SERVICE:
            data["status"] = VehicleStatus.OUT_OF_SERVICE
            data["status_reason"] = str(OUT_OF_SERVICE_REASON).format(items=", ".join(critical))[
                :200
            ]
        model_update(instance=vehicle, actor=actor, data=data, note="inspection")
    return inspection


def task_close(*, task: FleetTask, resolution: str, actor: Actor) -> FleetTask:
    with transaction.atomic():
        task = FleetTask.objects.select_for_update().get(pk=task.pk)
        if task.status == TaskStatus.DONE:
            raise ValidationError(TASK_DONE)
        return model_update(
            instance=task,
            actor=actor,
            data={
                "status": TaskStatus.DONE,
                "resolution": resolution.strip(),
                "closed_at": timezone.now(),
                "closed_by": actor if isinstance(actor, User) else None,
            },
        )


def vehicle_out_of_service(*, vehicle: Vehicle, reason: str, actor: Actor) -> Vehicle:
    return model_update(
        instance=vehicle,
        actor=actor,
        data={"status": VehicleStatus.OUT_OF_SERVICE, "status_reason": reason.strip()},
    )


def vehicle_return_to_service(*, vehicle: Vehicle, actor: Actor) -> Vehicle:
    """Back in service: refused while a critical task of the vehicle is open."""
    with transaction.atomic():
        vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
        if vehicle.status == VehicleStatus.RETIRED:
            raise ValidationError(VEHICLE_RETIRED)
        open_critical = FleetTask.objects.filter(
            vehicle=vehicle, status=TaskStatus.OPEN, critical=True
        ).count()
        if open_critical:
            raise ValidationError(str(OPEN_CRITICAL_TASKS).format(count=open_critical))
        return model_update(
            instance=vehicle,
            actor=actor,
            data={"status": VehicleStatus.IN_SERVICE, "status_reason": ""},
        )


def equipment_create(
    *,
    district: District,
    kind: EquipmentKind,
    serial: str,
    actor: Actor,
    expires_on: dt.date | None = None,
    holder: Person | None = None,
    issued_on: dt.date | None = None,
) -> EquipmentItem:
    """A new item, in stock or issued to `holder` on `issued_on`."""
    if holder is not None and holder.district_id != district.pk:
        raise ValidationError({"person": str(OTHER_DISTRICT).format(what=_("The officer"))})
    return model_create(
        model=EquipmentItem,
        actor=actor,
        district=district,
        kind=kind,
        serial=serial.strip(),
        expires_on=expires_on,
        holder=holder,
        issued_on=issued_on if holder is not None else None,
    )


def equipment_issue(
    *, item: EquipmentItem, person: Person | None, on: dt.date, actor: Actor
) -> EquipmentItem:
    """Issue the item to an officer (None: returned to stock)."""
    if person is not None and person.district_id != item.district_id:
        raise ValidationError({"person": str(OTHER_DISTRICT).format(what=_("The officer"))})
    return model_update(
        instance=item,
        actor=actor,
        data={"holder": person, "issued_on": on if person is not None else None},
        note="issued" if person is not None else "returned",
    )


def equipment_check(
    *,
    item: EquipmentItem,
    ok: bool,
    on: dt.date,
    actor: Actor,
    expires_on: dt.date | None = None,
    remark: str = "",
) -> EquipmentCheck:
    """Record a check (works or not); a new expiry (replaced naloxone, new AED pads) updates
    the item's."""
    with transaction.atomic():
        item = EquipmentItem.objects.select_for_update().get(pk=item.pk)
        check = model_create(
            model=EquipmentCheck,
            actor=actor,
            item=item,
            checked_on=on,
            checked_by=actor if isinstance(actor, User) else None,
            ok=ok,
            expires_on=expires_on,
            remark=remark.strip(),
        )
        data: dict[str, object] = {"last_checked_on": on, "last_check_ok": ok}
        if expires_on is not None:
            data["expires_on"] = expires_on
        model_update(instance=item, actor=actor, data=data, note="checked")
    return check
