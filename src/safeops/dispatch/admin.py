"""Admin: district dispatch settings are edited here (generic validated, audited writes); requests
and officers are read-only (writes go through the services so the lifecycle, timers and live board
stay consistent)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safeops.access.admin_site import ScopedInline, ScopedModelAdmin, generic_writes
from safeops.dispatch.models import (
    DispatchSettings,
    IntakeDevice,
    Integration,
    OfficerStatus,
    StatusEvent,
    SupportRequest,
)


@admin.register(DispatchSettings)
class DispatchSettingsAdmin(ScopedModelAdmin):
    service_writes = generic_writes(DispatchSettings)
    list_display = (
        "district",
        "p1_target_minutes",
        "p2_target_minutes",
        "p3_target_minutes",
        "p1_ack_seconds",
        "p2_ack_seconds",
        "allow_stacking",
        "lapsed_policy",
    )


class StatusEventInline(ScopedInline):
    model = StatusEvent
    can_delete = False
    fields = ("at", "from_status", "to_status", "officer", "actor_label", "disposition", "note")
    readonly_fields = fields


@admin.register(SupportRequest)
class SupportRequestAdmin(ScopedModelAdmin):
    list_display = ("id", "created_at", "priority", "category", "school", "status", "officer")
    list_filter = ("priority", "category", "status")
    search_fields = ("summary", "location_description", "school__name")
    inlines = (StatusEventInline,)
    exclude = ("client_key",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("school", "officer")


@admin.register(OfficerStatus)
class OfficerStatusAdmin(ScopedModelAdmin):
    list_display = ("person", "on_duty", "position_at", "open_request_count", "current_request")
    list_filter = ("on_duty",)


class IntakeDeviceInline(ScopedInline):
    model = IntakeDevice
    can_delete = False
    fields = ("device_id", "school", "room", "active")
    readonly_fields = fields


@admin.register(Integration)
class IntegrationAdmin(ScopedModelAdmin):
    """Read-only: integrations and devices are registered with `safeops intake_integration` and
    `safeops intake_device` (services/intake.py), which show the secret once."""

    list_display = ("key", "name", "district", "active", "created_at")
    exclude = ("secret_sealed",)
    inlines = (IntakeDeviceInline,)
