"""Admin for threat assessment: teams and the lead (chief), and tips/cases read-only views.

Sealed narrative columns are excluded: the admin shows no ciphertext and no plaintext.
"""

from django.contrib import admin
from django.http import HttpRequest

from safeops.core.admin_site import ScopedModelAdmin
from safeops.threats.models import EnrollmentGroup, TeamMember, ThreatCase, ThreatLead, Tip


class ReadOnlyAdmin(ScopedModelAdmin):
    """Tips and cases change only through the workflow pages (services check the steps)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ThreatCase)
class ThreatCaseAdmin(ReadOnlyAdmin):
    list_display = ("id", "school", "stage", "classification", "next_follow_up_on", "created_at")
    list_filter = ("stage", "classification")
    exclude = (
        "subject_sealed",
        "concern_sealed",
        "close_reason_sealed",
        "override_reason_sealed",
    )


@admin.register(Tip)
class TipAdmin(ReadOnlyAdmin):
    list_display = ("code", "school", "urgency", "status", "imminent", "created_at")
    list_filter = ("status", "urgency")
    exclude = ("place_sealed", "what_sealed", "phrase_digest", "fingerprint")


@admin.register(TeamMember)
class TeamMemberAdmin(ScopedModelAdmin):
    list_display = ("school", "person", "team_role", "starts_on", "ends_on")
    raw_id_fields = ("school", "person")


@admin.register(ThreatLead)
class ThreatLeadAdmin(ScopedModelAdmin):
    list_display = ("district", "person", "starts_on", "ends_on")
    raw_id_fields = ("person",)


@admin.register(EnrollmentGroup)
class EnrollmentGroupAdmin(ScopedModelAdmin):
    list_display = ("district", "dimension", "group", "students")
