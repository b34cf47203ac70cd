"""Facility safety audits of the physical plant.

- `AuditTemplate` / `TemplateItem`: the checklist as data (Kentucky's items are the default).
- `FacilityAudit` / `AuditResult`: one walk-through of a school and each item's result; the
  score is computed when it is recorded (see services.audit_score).
- `Finding` (+ `FindingPhoto`): a problem with a severity; `RemediationTask`: who fixes it by
  when. A passed re-inspection closes the task, and the finding when all its tasks are closed.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeops.core.models import StoredUpload, TimeStampedModel
from safeops.schools.models import District, School
from safeops.staff.models import Person


class Severity(models.TextChoices):
    LOW = "low", pgettext_lazy("severity", "Low")
    MEDIUM = "medium", pgettext_lazy("severity", "Medium")
    HIGH = "high", pgettext_lazy("severity", "High")
    CRITICAL = "critical", pgettext_lazy("severity", "Critical")


SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


class ItemResult(models.TextChoices):
    PASS = "pass", pgettext_lazy("checklist result", "Pass")
    FAIL = "fail", pgettext_lazy("checklist result", "Fail")
    NOT_APPLICABLE = "na", _("Not applicable")


class AuditTemplate(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=150)
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "name"], name="audittemplate_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TemplateItem(models.Model):
    template = models.ForeignKey(AuditTemplate, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=40)
    text = models.CharField(max_length=300)
    legal_source = models.CharField(max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    default_severity = models.CharField(
        max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["template", "order", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["template", "code"], name="templateitem_unique")
        ]

    def __str__(self) -> str:
        return self.text


class FacilityAudit(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="facility_audits")
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="+")
    conducted_on = models.DateField()
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(blank=True)
    score = models.FloatField(help_text="Weighted share of applicable items passed, 0–100.")

    class Meta:
        ordering: ClassVar = ["-conducted_on", "-id"]

    def __str__(self) -> str:
        return f"Facility audit {self.school} {self.conducted_on}"


class AuditResult(models.Model):
    audit = models.ForeignKey(FacilityAudit, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=4, choices=ItemResult.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["item__order", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["audit", "item"], name="auditresult_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.result}"


class Finding(TimeStampedModel):
    audit = models.ForeignKey(FacilityAudit, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        TemplateItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(max_length=10, choices=Severity.choices)
    description = models.CharField(max_length=500)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["closed_on", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


def photo_path(instance: FindingPhoto, filename: str) -> str:
    school_id = instance.finding.audit.school_id
    return f"facilities/{school_id}/{instance.finding_id}/{instance.digest[:16]}"


class FindingPhoto(StoredUpload):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path)

    def __str__(self) -> str:
        return f"Photo of finding {self.finding_id}"


class RemediationTask(TimeStampedModel):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="tasks")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    reinspection_note = models.CharField(max_length=300, blank=True)
    reinspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description
