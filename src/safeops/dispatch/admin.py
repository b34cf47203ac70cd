"""Admin: district dispatch settings are edited here (generic validated, audited writes); requests
and officers are read-only (writes go through the services so the lifecycle, timers and live board
stay consistent)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from safeops.core.admin_site import ScopedModelAdmin, generic_writes
from safeops.dispatch.models import DispatchSettings, OfficerStatus, StatusEvent, SupportRequest


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
    )


class StatusEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StatusEvent
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "officer", "actor_label", "disposition", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return True


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
