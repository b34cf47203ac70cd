"""Admin: incidents are read-only (the incident pages record them through the service and its
discipline guard); opening or listing them is an audited read."""

from django.contrib import admin

from safeops.access.admin_site import ScopedInline, ScopedModelAdmin
from safeops.incidents.models import Incident, IncidentPerson, IncidentReferral


class PersonInline(ScopedInline):
    model = IncidentPerson


class ReferralInline(ScopedInline):
    model = IncidentReferral


@admin.register(Incident)
class IncidentAdmin(ScopedModelAdmin):
    list_display = ("school", "kind", "occurred_at", "follow_up_on", "follow_up_done_on")
    list_filter = ("kind",)
    raw_id_fields = ("school", "recorded_by")
    inlines = (PersonInline, ReferralInline)
    audit_reads = True
