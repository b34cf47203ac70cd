"""Admin: SSO reports and hand-offs are read-only (the after-the-call pages write them through
the services and the discipline guard); opening or listing them is an audited read. The
narrative is sealed: the admin shows no narrative field."""

from django.contrib import admin

from safeops.access.admin_site import ScopedModelAdmin
from safeops.ssoreports.models import Handoff, SsoReport


@admin.register(SsoReport)
class SsoReportAdmin(ScopedModelAdmin):
    list_display = ("request", "school", "author", "outside_agency", "case_number", "created_at")
    exclude = ("narrative_sealed",)
    raw_id_fields = ("request", "school", "author")
    audit_reads = True


@admin.register(Handoff)
class HandoffAdmin(ScopedModelAdmin):
    list_display = ("request", "kind", "school", "officer", "at")
    list_filter = ("kind",)
    exclude = ("note_sealed",)
    raw_id_fields = ("request", "school", "officer", "actor")
    audit_reads = True
