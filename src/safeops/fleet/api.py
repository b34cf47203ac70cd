"""Fleet API (/api/fleet): the vehicles you may see, the checklist, and a start-of-shift
inspection, with the pages' role checks and services.

Supervisors (the chief, the dispatchers) see every vehicle of the district and inspect any; an
SSO sees and inspects the vehicle assigned to them. A failed item opens a task, a failed
critical item takes the vehicle out of service (`services.inspection_record`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from safeops.access import Action, Resource, can_any, viewer_for
from safeops.core.inputs import READ_ERRORS, WRITE_ERRORS, Id
from safeops.fleet.models import ChecklistItem, Inspection
from safeops.fleet.selectors import (
    VehicleRow,
    checklist_of,
    vehicle_get_for_user,
    vehicles_for_user,
)
from safeops.fleet.services import Answer, inspection_record
from safeops.fleet.views import NO_FLEET
from safeops.staff.models import Person

router = Router(tags=["fleet"])
MAX_MILEAGE = 2_000_000


class FleetVehicleOut(Schema):
    id: int
    unit_number: str
    description: str
    plate: str
    status: str
    status_reason: str
    odometer: int
    officer_id: int | None
    officer_name: str
    last_inspected_at: dt.datetime | None
    last_inspection_passed: bool | None
    open_tasks: int


class FleetChecklistItemOut(Schema):
    id: int
    code: str
    label: str
    critical: bool


class FleetAnswerIn(Schema):
    item_id: Id
    ok: bool
    remark: str = Field("", max_length=200)


class FleetInspectionIn(Schema):
    mileage: int = Field(..., ge=0, le=MAX_MILEAGE)
    answers: list[FleetAnswerIn] = Field(..., max_length=200)
    notes: str = Field("", max_length=2000)


class FleetInspectionOut(Schema):
    id: int
    vehicle_id: int
    inspected_at: dt.datetime
    mileage: int
    passed: bool
    vehicle_status: str

    @staticmethod
    def resolve_vehicle_status(obj: Inspection) -> str:
        return obj.vehicle.status


def _row(row: VehicleRow) -> dict[str, object]:
    vehicle, last = row.vehicle, row.last_inspection
    return {
        "id": vehicle.pk,
        "unit_number": vehicle.unit_number,
        "description": vehicle.description,
        "plate": vehicle.plate,
        "status": vehicle.status,
        "status_reason": vehicle.status_reason,
        "odometer": vehicle.odometer,
        "officer_id": row.officer_id,
        "officer_name": row.officer,
        "last_inspected_at": last.inspected_at if last else None,
        "last_inspection_passed": last.passed if last else None,
        "open_tasks": len(row.open_tasks),
    }


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.VEHICLE):
        raise PermissionDenied(NO_FLEET)


@router.get("/vehicles", response={200: list[FleetVehicleOut]} | READ_ERRORS)
def vehicle_list_api(request: HttpRequest) -> list[dict[str, object]]:
    """The vehicles you may see, with their officer, last inspection and open tasks."""
    _require_view(request)
    return [_row(row) for row in vehicles_for_user(user=request.user, on=timezone.localdate())]


@router.get("/checklist", response={200: list[FleetChecklistItemOut]} | READ_ERRORS)
def checklist_api(request: HttpRequest) -> list[ChecklistItem]:
    """The district's start-of-shift checklist (answer every item in an inspection)."""
    _require_view(request)
    district_id = viewer_for(request.user).district_id
    return list(checklist_of(district_id=district_id)) if district_id else []


@router.post(
    "/vehicles/{vehicle_id}/inspections", response={201: FleetInspectionOut} | WRITE_ERRORS
)
def inspection_create_api(
    request: HttpRequest, vehicle_id: Id, payload: FleetInspectionIn
) -> Status[Inspection]:
    """Record a start-of-shift inspection: every active checklist item answered, the mileage
    not below the odometer."""
    vehicle = vehicle_get_for_user(user=request.user, vehicle_id=vehicle_id)
    if not can_any(request.user, Action.CHANGE, Resource.VEHICLE_RECORD):
        raise PermissionDenied(NO_FLEET)
    person_id = viewer_for(request.user).person_id
    inspection = inspection_record(
        vehicle=vehicle,
        person=Person.objects.filter(pk=person_id).first() if person_id else None,
        mileage=payload.mileage,
        answers={a.item_id: Answer(ok=a.ok, remark=a.remark) for a in payload.answers},
        notes=payload.notes,
        actor=request.user,
    )
    return Status(201, inspection)
