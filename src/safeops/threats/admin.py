"""Admin for threat assessment: school teams and the district lead through their services (the
documented rules and audit entries), enrollment groups through the generic service; tips and cases
are read-only, and opening or listing them is an audited read.

Sealed narrative columns are excluded: the admin shows no ciphertext and no plaintext.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext

from safeops.access.admin_site import ScopedModelAdmin, ServiceWrites, generic_writes, only_changes
from safeops.core.audit import Actor
from safeops.threats import services
from safeops.threats.models import EnrollmentGroup, TeamMember, ThreatCase, ThreatLead, Tip


@admin.register(ThreatCase)
class ThreatCaseAdmin(ScopedModelAdmin):
    """Cases change only through the workflow pages (services check the steps)."""

    list_display = ("id", "school", "stage", "classification", "next_follow_up_on", "created_at")
    list_filter = ("stage", "classification")
    exclude = (
        "subject_sealed",
        "concern_sealed",
        "close_reason_sealed",
        "override_reason_sealed",
    )
    audit_reads = True


@admin.register(Tip)
class TipAdmin(ScopedModelAdmin):
    list_display = ("code", "school", "urgency", "status", "imminent", "created_at")
    list_filter = ("status", "urgency")
    exclude = ("place_sealed", "what_sealed", "phrase_digest", "fingerprint")
    audit_reads = True


def _member_add(*, actor: Actor, data: dict[str, Any]) -> Model:
    return services.team_member_add(
        school=data["school"],
        person=data["person"],
        actor=actor,
        starts_on=data.get("starts_on"),
        team_role=data.get("team_role", ""),
    )


def _member_end(*, actor: Actor, instance: Any, data: dict[str, Any]) -> Model:
    only_changes(("ends_on",), data)
    if data["ends_on"] is None:
        raise ValidationError(
            {"ends_on": gettext("A membership is ended with a date; it cannot reopen.")}
        )
    return services.team_member_end(member=instance, actor=actor, on=data["ends_on"])


@admin.register(TeamMember)
class TeamMemberAdmin(ScopedModelAdmin):
    list_display = ("school", "person", "team_role", "starts_on", "ends_on")
    raw_id_fields = ("school", "person")
    service_writes = ServiceWrites(create=_member_add, update=_member_end)


def _lead_designate(*, actor: Actor, data: dict[str, Any]) -> Model:
    return services.threat_lead_designate(
        district=data["district"], person=data["person"], actor=actor, starts_on=data["starts_on"]
    )


@admin.register(ThreatLead)
class ThreatLeadAdmin(ScopedModelAdmin):
    """A designation is made (ending the previous one) and never edited: history stays."""

    list_display = ("district", "person", "starts_on", "ends_on")
    raw_id_fields = ("person",)
    service_writes = ServiceWrites(create=_lead_designate)


@admin.register(EnrollmentGroup)
class EnrollmentGroupAdmin(ScopedModelAdmin):
    list_display = ("district", "dimension", "group", "students")
    service_writes = generic_writes(EnrollmentGroup)
