"""People in safety roles and where they are assigned, with effective dates."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from safeops.core.models import TimeStampedModel
from safeops.schools.models import District, School
from safeops.staff.choices import EmploymentMethod, FundingSource, Role
from safeops.zones.models import Zone


class Person(TimeStampedModel):
    """A staff member in one safety role. May have a login (user) or not."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=40, choices=Role.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    badge_number = models.CharField(max_length=20, blank=True, help_text="Sworn officers only.")
    active = models.BooleanField(default=True)
    # The annual SRO report (KRS 158.4414): SSOs only, blank for other roles.
    employment_method = models.CharField(
        max_length=20, choices=EmploymentMethod.choices, blank=True, help_text="SSOs only."
    )
    funding_source = models.CharField(
        max_length=20, choices=FundingSource.choices, blank=True, help_text="SSOs only."
    )

    class Meta:
        ordering: ClassVar = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class Assignment(TimeStampedModel):
    """A person assigned to a school or a zone from `starts_on` until `ends_on` (exclusive)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    zone = models.ForeignKey(
        Zone, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-starts_on"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(models.Q(school__isnull=False) & models.Q(zone__isnull=True))
                | (models.Q(school__isnull=True) & models.Q(zone__isnull=False)),
                name="assignment_school_xor_zone",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gt=models.F("starts_on")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} → {self.target}"

    @property
    def target(self) -> School | Zone | None:
        return self.school or self.zone

    def clean(self) -> None:
        if (self.school_id is None) == (self.zone_id is None):
            raise ValidationError(
                gettext("An assignment is to a school or to a zone, not both or neither.")
            )
        if self.ends_on is not None and self.ends_on <= self.starts_on:
            raise ValidationError(
                {"ends_on": gettext("The end date must be after the start date.")}
            )


class MarshalApproval(TimeStampedModel):
    """The State School Security Marshal's written approval for a campus to go without a
    certified SRO on site full time (2022 HB 63, KRS 158.4414(2); 503 KAR 7:010), with its date.
    Recorded through `staff.services.marshal_approval_record` (audited)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="marshal_approvals")
    approved_on = models.DateField()
    reference = models.CharField(max_length=100, help_text="The letter's number or title.")
    ends_on = models.DateField(null=True, blank=True, help_text="When the approval lapses.")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["-approved_on", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gt=models.F("approved_on")),
                name="marshal_approval_ends_after_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.approved_on:%Y-%m-%d})"
