from django.contrib import admin

from safeops.core.admin_site import ScopedModelAdmin
from safeops.safetyplans.models import SafetyPlan


@admin.register(SafetyPlan)
class SafetyPlanAdmin(ScopedModelAdmin):
    list_display = ("school", "school_year", "status", "approved_at", "shared_with_responders_on")
    list_filter = ("status",)
    search_fields = ("school__name",)
    raw_id_fields = ("school", "approved_version", "approved_by")
    readonly_fields = ("status", "approved_version", "approved_by", "approved_at")
