"""Admin: audit templates (the chief's settings, through the generic services); facility audits
and findings are read-only (recorded on the facilities pages, which score them)."""

from django.contrib import admin

from safeops.access.admin_site import ScopedInline, ScopedModelAdmin, generic_writes
from safeops.facilities.models import AuditTemplate, FacilityAudit, Finding, TemplateItem


class TemplateItemInline(ScopedInline):
    model = TemplateItem
    service_writes = generic_writes(TemplateItem)


@admin.register(AuditTemplate)
class AuditTemplateAdmin(ScopedModelAdmin):
    list_display = ("name", "district", "active")
    inlines = (TemplateItemInline,)
    service_writes = generic_writes(AuditTemplate)


class FindingInline(ScopedInline):
    model = Finding
    fields = ("severity", "description", "closed_on")


@admin.register(FacilityAudit)
class FacilityAuditAdmin(ScopedModelAdmin):
    list_display = ("school", "conducted_on", "score")
    raw_id_fields = ("school", "conducted_by")
    readonly_fields = ("score",)
    inlines = (FindingInline,)
