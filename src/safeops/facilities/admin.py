from django.contrib import admin

from safeops.core.admin_site import ScopedInline, ScopedModelAdmin
from safeops.facilities.models import AuditTemplate, FacilityAudit, Finding, TemplateItem


class TemplateItemInline(ScopedInline):
    model = TemplateItem


@admin.register(AuditTemplate)
class AuditTemplateAdmin(ScopedModelAdmin):
    list_display = ("name", "district", "active")
    inlines = (TemplateItemInline,)


class FindingInline(ScopedInline):
    model = Finding
    fields = ("severity", "description", "closed_on")


@admin.register(FacilityAudit)
class FacilityAuditAdmin(ScopedModelAdmin):
    list_display = ("school", "conducted_on", "score")
    raw_id_fields = ("school", "conducted_by")
    readonly_fields = ("score",)
    inlines = (FindingInline,)
