"""Closed-loop referrals of students to community services, and onboarding contacts.

A referral names the student by a minimal identifier only (a student number, or initials,
plus the grade): no name, no profile, no discipline fields. It may come from an SSO
disposition, an incident or a threat-assessment plan task, and links back to it. Each status
change is a `ReferralEvent` row (who, when, from, to). `ProviderContact` is an SA's or SSO's
recorded contact with a provider, the unit of the onboarding checklist (docs/referrals.md).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext

from safeops.core.models import TimeStampedModel
from safeops.referrals.choices import (
    ConsentGivenBy,
    ConsentScope,
    ContactMethod,
    Grade,
    Outcome,
    Status,
)
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Person

STUDENT_NUMBER = RegexValidator(
    r"^[A-Za-z0-9-]{3,20}$", "A student number is 3–20 letters, digits or dashes."
)
INITIALS = RegexValidator(r"^[A-Za-z]{2,3}$", "Initials are 2 or 3 letters.")
NEED_IDENTIFIER = "Give the student number or the student's initials."


class Referral(TimeStampedModel):
    """One student referred to one community service."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The student's school (it decides who sees the referral).",
    )
    service = models.ForeignKey(
        "resources.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    student_number = models.CharField(max_length=20, blank=True, validators=[STUDENT_NUMBER])
    student_initials = models.CharField(max_length=3, blank=True, validators=[INITIALS])
    grade = models.CharField(max_length=2, choices=Grade.choices)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    referrer_label = models.CharField(max_length=150)
    referrer_role = models.CharField(
        max_length=40, choices=Role.choices, blank=True, help_text="Blank for an administrator."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    status_changed_at = models.DateTimeField()
    services_started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    consent_given_by = models.CharField(max_length=20, choices=ConsentGivenBy.choices)
    consent_given_on = models.DateField()
    consent_scope = models.CharField(max_length=30, choices=ConsentScope.choices)
    handoff_note = models.TextField(
        help_text="Warm hand-off: what the provider needs to know to reach and help the family."
    )
    support_request = models.ForeignKey(
        "dispatch.SupportRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The SSO request whose disposition was 'referred to a support resource'.",
    )
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan_task = models.ForeignKey(
        "threats.PlanTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The threat-assessment plan task this referral carries out.",
    )
    provider_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    provider_token_expires_at = models.DateTimeField(null=True, blank=True)
    follow_up_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="The last follow-up reminder for the current status."
    )

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["district", "status"]),
            models.Index(fields=["school", "status"]),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(student_number="") | ~models.Q(student_initials=""),
                name="referral_has_student_identifier",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="referral_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral #{self.pk} ({self.get_status_display()})"

    @property
    def student_label(self) -> str:
        """How pages show the student: the number, or the initials, with the grade."""
        who = self.student_number or self.student_initials.upper()
        return gettext("%(who)s, grade %(grade)s") % {"who": who, "grade": self.get_grade_display()}

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    def clean(self) -> None:
        if not self.student_number and not self.student_initials:
            raise ValidationError({"student_number": NEED_IDENTIFIER})
        if self.school_id and self.district_id and self.school.district_id != self.district_id:
            raise ValidationError({"school": gettext("The school is in another district.")})


class ReferralEvent(models.Model):
    """One status change of a referral: who, when, from, to (the timeline)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    via_provider_link = models.BooleanField(default=False)
    at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.referral_id} {self.from_status or '∅'} → {self.to_status}"


class ProviderContact(TimeStampedModel):
    """An SA's or SSO's contact with a provider (a service), counted by the onboarding list."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("resources.Service", on_delete=models.PROTECT, related_name="+")
    contacted_on = models.DateField()
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} · {self.service} ({self.contacted_on})"
