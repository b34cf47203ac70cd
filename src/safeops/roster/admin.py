"""Admin: the roster is read-only here; the roster pages write through the services, which
refuse overlaps and shifts on leave."""

from django.contrib import admin

from safeops.access.admin_site import ScopedModelAdmin
from safeops.roster.models import CoverageEvent, Leave, Shift


@admin.register(Shift)
class ShiftAdmin(ScopedModelAdmin):
    list_display = ("person", "starts_at", "ends_at", "kind")
    list_filter = ("kind",)
    raw_id_fields = ("person", "relieves", "coverage_event")


@admin.register(Leave)
class LeaveAdmin(ScopedModelAdmin):
    list_display = ("person", "kind", "first_day", "last_day")
    list_filter = ("kind",)
    raw_id_fields = ("person",)


@admin.register(CoverageEvent)
class CoverageEventAdmin(ScopedModelAdmin):
    list_display = ("title", "kind", "starts_at", "ends_at", "officers_needed")
    list_filter = ("kind",)
