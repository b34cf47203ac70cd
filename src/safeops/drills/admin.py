"""Admin: calendars, drill types and rules (the chief's settings, validated and audited through the
generic services); drills and corrective actions are read-only (logged on the drill pages)."""

from django.contrib import admin

from safeops.access.admin_site import ScopedInline, ScopedModelAdmin, generic_writes
from safeops.drills.models import (
    CorrectiveAction,
    Drill,
    DrillRule,
    DrillType,
    NonInstructionalDay,
    SchoolYear,
)


class NonInstructionalDayInline(ScopedInline):
    model = NonInstructionalDay
    service_writes = generic_writes(NonInstructionalDay)


@admin.register(SchoolYear)
class SchoolYearAdmin(ScopedModelAdmin):
    list_display = ("name", "district", "first_day", "last_day")
    inlines = (NonInstructionalDayInline,)
    service_writes = generic_writes(SchoolYear)


@admin.register(DrillType)
class DrillTypeAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "district", "active")
    service_writes = generic_writes(DrillType)


@admin.register(DrillRule)
class DrillRuleAdmin(ScopedModelAdmin):
    list_display = ("drill_type", "kind", "param", "count", "extra", "legal_source", "active")
    list_filter = ("kind", "active")
    service_writes = generic_writes(DrillRule)


class CorrectiveActionInline(ScopedInline):
    model = CorrectiveAction
    raw_id_fields = ("owner",)


@admin.register(Drill)
class DrillAdmin(ScopedModelAdmin):
    list_display = ("school", "drill_type", "started_at", "duration_minutes", "participants")
    list_filter = ("drill_type__code",)
    search_fields = ("school__name",)
    raw_id_fields = ("school", "recorded_by")
    inlines = (CorrectiveActionInline,)
