"""Admin: safety plans are read-only (drafting, approval and sharing go through the plan
services and their SA → principal workflow); opening or listing them is an audited read."""

from django.contrib import admin

from safeops.access.admin_site import ScopedModelAdmin
from safeops.safetyplans.models import SafetyPlan


@admin.register(SafetyPlan)
class SafetyPlanAdmin(ScopedModelAdmin):
    list_display = ("school", "school_year", "status", "approved_at", "shared_with_responders_on")
    list_filter = ("status",)
    search_fields = ("school__name",)
    raw_id_fields = ("school", "approved_version", "approved_by")
    audit_reads = True
