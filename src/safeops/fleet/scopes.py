"""ASSIGNED for fleet records: the viewer's current vehicle and its records, and the
equipment issued to them (rules: fleet/rules.py)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from safeops.access import Resource, Viewer, current_filter, no_scope, register_resource
from safeops.fleet.models import (
    ChecklistItem,
    EquipmentItem,
    FleetTask,
    Inspection,
    Vehicle,
    VehicleAssignment,
)

NOTHING = Q(pk__in=[])


def _my_vehicle_ids(person_id: int) -> QuerySet[VehicleAssignment, int]:
    return VehicleAssignment.objects.filter(
        current_filter(timezone.localdate()), person_id=person_id
    ).values_list("vehicle_id", flat=True)


def vehicle_scope(viewer: Viewer) -> Q:
    if viewer.person_id is None:
        return NOTHING
    return Q(pk__in=_my_vehicle_ids(viewer.person_id))


def vehicle_record_scope(viewer: Viewer) -> Q:
    if viewer.person_id is None:
        return NOTHING
    return Q(vehicle_id__in=_my_vehicle_ids(viewer.person_id))


def equipment_scope(viewer: Viewer) -> Q:
    return Q(holder_id=viewer.person_id) if viewer.person_id is not None else NOTHING


def register_fleet_resources() -> None:
    register_resource(Vehicle, Resource.VEHICLE, scope=vehicle_scope, district_field="district_id")
    for model in (VehicleAssignment, Inspection, FleetTask):
        register_resource(
            model,
            Resource.VEHICLE_RECORD,
            scope=vehicle_record_scope,
            district_field="vehicle__district_id",
        )
    register_resource(
        ChecklistItem, Resource.FLEET_SETTINGS, scope=no_scope, district_field="district_id"
    )
    register_resource(
        EquipmentItem, Resource.EQUIPMENT, scope=equipment_scope, district_field="district_id"
    )
