"""School safety plans (emergency operations plans, KRS 158.162): one per school and year.

- `SafetyPlan`: the plan's state and the dated steps the law asks for (shared with first
  responders, staff briefing before the first instructional day, after-year review).
- `PlanVersion`: every saved text of the required sections, numbered; never changed.
- `PlanAttachment`: floor plans and diagrams, type-checked by their bytes.
- `PlanEvent`: the workflow's timeline (saved, submitted, approved, returned, steps recorded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeops.core.models import StoredUpload, TimeStampedModel
from safeops.drills.models import SchoolYear
from safeops.schools.models import School

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The required sections (KRS 158.162(3) and the district plan), in order.
SECTIONS: tuple[tuple[str, StrOrPromise], ...] = (
    ("medical", _("Medical emergency")),
    ("fire", _("Fire")),
    ("severe_weather", _("Severe weather")),
    ("earthquake", _("Earthquake")),
    ("lockdown", _("Lockdown")),
    ("cardiac", _("Cardiac emergency response and AED locations")),
    ("evacuation", _("Evacuation routes (primary and secondary)")),
    ("safe_zones", _("Severe-weather safe zones")),
    ("reunification", _("Reunification")),
    ("access_control", _("Access control")),
)
SECTION_KEYS = tuple(key for key, _label in SECTIONS)
SECTION_LABELS = dict(SECTIONS)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("plan status", "Submitted for approval")
    APPROVED = "approved", pgettext_lazy("plan status", "Approved")


class PlanEventKind(models.TextChoices):
    SAVED = "saved", _("Version saved")
    SUBMITTED = "submitted", _("Submitted to the principal")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    SHARED = "shared", _("Shared with first responders")
    BRIEFING = "briefing", _("Staff briefing held")
    REVIEW = "review", _("After-year review held")
    ATTACHMENT = "attachment", _("Attachment added")


class SafetyPlan(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="safety_plans")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_version = models.ForeignKey(
        "PlanVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    shared_with_responders_on = models.DateField(null=True, blank=True)
    shared_with = models.CharField(max_length=300, blank=True, help_text=_("Fire, police, EMS."))
    briefing_at = models.DateTimeField(null=True, blank=True)
    briefing_attendance = models.PositiveIntegerField(null=True, blank=True)
    briefing_notes = models.CharField(max_length=300, blank=True)
    review_on = models.DateField(null=True, blank=True)
    review_participants = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["school__name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["school", "school_year"], name="plan_one_per_year")
        ]

    def __str__(self) -> str:
        return f"Safety plan {self.school} {self.school_year}"


class PlanVersion(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    sections = models.JSONField(default=dict)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["plan", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    def missing_sections(self) -> list[str]:
        return [
            str(label) for key, label in SECTIONS if not str(self.sections.get(key, "")).strip()
        ]


class AttachmentKind(models.TextChoices):
    FLOOR_PLAN = "floor_plan", _("Floor plan")
    AED_MAP = "aed_map", _("AED locations diagram")
    EVACUATION_MAP = "evacuation_map", _("Evacuation route map")
    OTHER = "other", _("Other")


def attachment_path(instance: PlanAttachment, filename: str) -> str:
    return f"safetyplans/{instance.plan.school_id}/{instance.plan_id}/{instance.digest[:16]}"


class PlanAttachment(StoredUpload):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(max_length=150)
    file = models.FileField(upload_to=attachment_path)

    class Meta:
        ordering: ClassVar = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class PlanEvent(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=PlanEventKind.choices)
    version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_kind_display()}"
