"""Admin: the checklist is edited here through the generic validated, audited services (it has
no rules of its own); vehicles, inspections, tasks and equipment are read-only (their pages
hold the mileage, out-of-service and task rules)."""

from django.contrib import admin

from safeops.access.admin_site import ScopedInline, ScopedModelAdmin, generic_writes
from safeops.fleet.models import (
    ChecklistItem,
    EquipmentItem,
    FleetTask,
    Inspection,
    InspectionResult,
    Vehicle,
    VehicleAssignment,
)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ScopedModelAdmin):
    list_display = ("label", "critical", "position", "active")
    list_filter = ("critical", "active")
    service_writes = generic_writes(ChecklistItem, delete=False)


@admin.register(Vehicle)
class VehicleAdmin(ScopedModelAdmin):
    list_display = ("unit_number", "description", "status", "odometer")
    list_filter = ("status",)


@admin.register(VehicleAssignment)
class VehicleAssignmentAdmin(ScopedModelAdmin):
    list_display = ("vehicle", "person", "starts_on", "ends_on")
    raw_id_fields = ("vehicle", "person")


class ResultInline(ScopedInline):
    model = InspectionResult


@admin.register(Inspection)
class InspectionAdmin(ScopedModelAdmin):
    list_display = ("vehicle", "inspected_at", "mileage", "passed")
    list_filter = ("passed",)
    raw_id_fields = ("vehicle", "person")
    inlines = (ResultInline,)


@admin.register(FleetTask)
class FleetTaskAdmin(ScopedModelAdmin):
    list_display = ("title", "vehicle", "critical", "status", "created_at")
    list_filter = ("status", "critical")
    raw_id_fields = ("vehicle", "inspection", "item", "closed_by")


@admin.register(EquipmentItem)
class EquipmentItemAdmin(ScopedModelAdmin):
    list_display = ("kind", "serial", "holder", "expires_on", "last_checked_on")
    list_filter = ("kind",)
    raw_id_fields = ("holder",)
