"""SSO patrol zones and which schools belong to them over time."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeops.core.models import TimeStampedModel
from safeops.schools.models import District, School


class ZoneKind(models.TextChoices):
    PATROL = "patrol", _("Patrol zone")
    DEDICATED = "dedicated", _("Dedicated school")


class Zone(TimeStampedModel):
    """A patrol area of schools aligned with one high school, covered by one SSO."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="zones")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=ZoneKind.choices, default=ZoneKind.PATROL)
    high_school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aligned_zones",
        help_text="The high school the zone is aligned with.",
    )
    post_school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where the officer waits between calls.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["district", "name"], name="zone_unique_name_in_district"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ZoneMembership(models.Model):
    """School ↔ zone for a period. `ends_on` is exclusive; None means still current."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="zone_memberships")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-starts_on"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gt=models.F("starts_on")),
                name="zone_membership_ends_after_start",
            ),
            # At most one open-ended (current) membership per school, enforced by the database.
            models.UniqueConstraint(
                fields=["school"],
                condition=models.Q(ends_on__isnull=True),
                name="zone_membership_one_open_per_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.zone} from {self.starts_on}"

    def clean(self) -> None:
        if self.zone_id and self.school_id and self.zone.district_id != self.school.district_id:
            raise ValidationError(
                {"school": gettext("The school is in another district than the zone.")}
            )
