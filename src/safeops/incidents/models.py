"""The Safety Administrator's incident intervention log.

Safety incidents only: the log has no discipline fields (no offence codes, consequences or
suspensions) and people appear by role, not by name. A discipline matter is refused at intake
by safeops.core.discipline, the same guard dispatch uses.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeops.core.models import TimeStampedModel
from safeops.schools.models import School


class IncidentKind(models.TextChoices):
    MEDICAL = "medical", _("Medical emergency")
    FIRE = "fire", _("Fire or alarm")
    WEAPON = "weapon", _("Weapon")
    THREAT = "threat", _("Threat of harm")
    INTRUDER = "intruder", _("Intruder or trespass")
    FIGHT = "fight", _("Fight or assault (safety intervention)")
    MISSING = "missing", _("Missing student")
    SUSPICIOUS = "suspicious", _("Suspicious item or person")
    HAZARD = "hazard", _("Building hazard")
    WEATHER = "weather", _("Severe weather")
    SELF_HARM = "self_harm", _("Self-harm risk")
    OTHER = "other", _("Other safety incident")


class PersonRole(models.TextChoices):
    STUDENT = "student", _("Student")
    STAFF = "staff", _("Staff member")
    PARENT = "parent", _("Parent or guardian")
    VISITOR = "visitor", _("Visitor")
    OFFICER = "officer", _("Officer (SSO or police)")
    OTHER = "other", _("Other")


class ReferralTo(models.TextChoices):
    COUNSELOR = "counselor", _("School counselor")
    MENTAL_HEALTH = "mental_health", _("Mental health practitioner")
    THREAT_TEAM = "threat_team", _("Threat assessment team")
    VIOLENCE_PREVENTION = "violence_prevention", _("Violence prevention specialist")
    SSO = "sso", _("School Safety Officer")
    POLICE = "police", _("Police")
    EMS = "ems", _("EMS / fire")
    ADMINISTRATION = "administration", _("School administration")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other agency")


class Incident(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(max_length=20, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField()
    place = models.CharField(
        max_length=150, help_text=_("e.g. cafeteria, east stairwell, bus loop")
    )
    summary = models.TextField(help_text=_("What happened, in safety terms."))
    actions_taken = models.TextField()
    support_request = models.ForeignKey(
        "dispatch.SupportRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The SSO support request (dispatch) this incident is linked to, if any."),
    )
    follow_up_on = models.DateField(null=True, blank=True)
    follow_up_done_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.school}, {self.occurred_at:%Y-%m-%d}"


class IncidentPerson(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=10, choices=PersonRole.choices)
    count = models.PositiveSmallIntegerField(default=1)
    involvement = models.CharField(max_length=150, blank=True, help_text=_("e.g. injured, witness"))

    def __str__(self) -> str:
        return f"{self.count} × {self.get_role_display()}"


class IncidentReferral(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="referrals")
    to = models.CharField(max_length=20, choices=ReferralTo.choices)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.get_to_display()
