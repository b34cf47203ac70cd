"""After the call: the SSO's incident report and the hand-offs that follow a cleared request.

An `SsoReport` is a law-enforcement-unit record (FERPA, 34 CFR 99.8): kept apart from education
records, read only by the officer who wrote it (or holds the request), the SSO supervisors and
the chief, every read audited. Its narrative is sealed at rest (`core.crypto`).
A `Handoff` is one countable hand-off of a request: a referral to a support resource, a
consent-checked notice to the court liaison, or a referral to the gun-violence MHPs.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeops.core.crypto import sealed_property
from safeops.core.models import TimeStampedModel
from safeops.schools.models import District, School
from safeops.ssoreports.choices import ConsentGivenBy, HandoffKind
from safeops.staff.models import Person

CASE_NEEDS_AGENCY = _("Name the outside agency whose case number this is.")
AGENCY_BEFORE_CALL = _("The outside agency arrived after the 911 call, not before it.")
HANDED_OFF_BEFORE = _("The hand-off to the outside agency came after the 911 call.")
CONSENT_REQUIRED = _(
    "A notice to the court liaison needs the recorded consent: who gave it, when, and your "
    "confirmation."
)


class SsoReport(TimeStampedModel):
    """An SSO's incident report on one support request (one per request)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request = models.OneToOneField(
        "dispatch.SupportRequest", on_delete=models.PROTECT, related_name="sso_report"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sso_reports")
    narrative_sealed = models.TextField()
    outside_agency = models.CharField(max_length=120, blank=True)
    case_number = models.CharField(max_length=40, blank=True)
    call_911_at = models.DateTimeField(null=True, blank=True)
    agency_on_scene_at = models.DateTimeField(null=True, blank=True)
    handed_off_at = models.DateTimeField(null=True, blank=True)
    weapon_involved = models.BooleanField(default=False)

    narrative = sealed_property("narrative_sealed")

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = "SSO report"

    def __str__(self) -> str:
        return f"SSO report #{self.pk} (request #{self.request_id})"

    def clean(self) -> None:
        if self.case_number and not self.outside_agency:
            raise ValidationError({"outside_agency": CASE_NEEDS_AGENCY})
        if (
            self.call_911_at
            and self.agency_on_scene_at
            and self.agency_on_scene_at < self.call_911_at
        ):
            raise ValidationError({"agency_on_scene_at": AGENCY_BEFORE_CALL})
        if self.call_911_at and self.handed_off_at and self.handed_off_at < self.call_911_at:
            raise ValidationError({"handed_off_at": HANDED_OFF_BEFORE})


class Handoff(models.Model):
    """One hand-off of a cleared request; one per request and kind (a second tap counts once)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        "dispatch.SupportRequest", on_delete=models.PROTECT, related_name="handoffs"
    )
    kind = models.CharField(max_length=30, choices=HandoffKind.choices)
    officer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    consent_given_by = models.CharField(max_length=20, choices=ConsentGivenBy.choices, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_confirmed = models.BooleanField(default=False)
    note_sealed = models.TextField(blank=True)

    note = sealed_property("note_sealed")

    class Meta:
        ordering: ClassVar = ["-at", "-id"]
        indexes: ClassVar = [models.Index(fields=["district", "kind", "at"])]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["request", "kind"], name="handoff_one_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(kind="court_liaison_notice")
                | (
                    models.Q(consent_confirmed=True)
                    & ~models.Q(consent_given_by="")
                    & models.Q(consent_given_on__isnull=False)
                ),
                name="handoff_court_notice_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (request #{self.request_id})"

    def clean(self) -> None:
        if self.kind == HandoffKind.COURT_LIAISON_NOTICE and not (
            self.consent_confirmed and self.consent_given_by and self.consent_given_on
        ):
            raise ValidationError({"consent_confirmed": CONSENT_REQUIRED})
