"""Patrol vehicles and officers' equipment.

- `Vehicle` (status, odometer) and `VehicleAssignment` (dated, end exclusive: one open
  assignment per vehicle and per officer).
- `ChecklistItem`: the district's start-of-shift inspection list (editable; `critical` items
  take the vehicle out of service when they fail). `Inspection` + `InspectionResult` record
  one inspection with its mileage; each failed item opens a `FleetTask`.
- `EquipmentItem` (radio, body camera, AED, naloxone) issued to an officer, with an expiry
  (naloxone, AED pads) and `EquipmentCheck`s.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeops.core.models import TimeStampedModel
from safeops.schools.models import District
from safeops.staff.models import Person

ENDS_BEFORE_START = _("The end must be after the start.")


class VehicleStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")
    RETIRED = "retired", _("Retired")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class EquipmentKind(models.TextChoices):
    RADIO = "radio", _("Radio")
    BODY_CAMERA = "body_camera", _("Body camera")
    AED = "aed", _("AED")
    NALOXONE = "naloxone", _("Naloxone")


class Vehicle(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    unit_number = models.CharField(_("unit number"), max_length=20)
    description = models.CharField(_("make and model"), max_length=80, blank=True)
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VehicleStatus.choices, default=VehicleStatus.IN_SERVICE
    )
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    odometer = models.PositiveIntegerField(_("odometer (miles)"), default=0)

    class Meta:
        ordering: ClassVar = ["unit_number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "unit_number"], name="fleet_vehicle_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit_number} {self.description}".strip()


class VehicleAssignment(models.Model):
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-starts_on", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(ends_on__isnull=True),
                name="fleet_one_open_assignment_per_vehicle",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ends_on__isnull=True),
                name="fleet_one_open_assignment_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} → {self.person_id} from {self.starts_on}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": ENDS_BEFORE_START})


class ChecklistItem(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    label = models.CharField(_("item"), max_length=120)
    critical = models.BooleanField(
        _("critical"), default=False, help_text=_("A failure takes the vehicle out of service.")
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["position", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "code"], name="fleet_checklist_code")
        ]

    def __str__(self) -> str:
        return self.label


class Inspection(TimeStampedModel):
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="inspections")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inspected_at = models.DateTimeField(_("inspected at"))
    mileage = models.PositiveIntegerField(_("mileage"))
    passed = models.BooleanField(default=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta:
        ordering: ClassVar = ["-inspected_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["vehicle", "inspected_at"])]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.inspected_at:%Y-%m-%d %H:%M} {self.mileage} mi"


class InspectionResult(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    ok = models.BooleanField()
    remark = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "item"], name="fleet_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {'ok' if self.ok else 'failed'}"


class FleetTask(TimeStampedModel):
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="tasks")
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    item = models.ForeignKey(
        ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("task"), max_length=250)
    critical = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["status", "-critical", "-created_at"]
        indexes: ClassVar = [models.Index(fields=["vehicle", "status"])]

    def __str__(self) -> str:
        return self.title


class EquipmentItem(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=EquipmentKind.choices)
    serial = models.CharField(_("serial or tag"), max_length=60)
    holder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Naloxone expiry, AED pads.")
    )
    last_checked_on = models.DateField(_("last checked"), null=True, blank=True)
    last_check_ok = models.BooleanField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["kind", "serial"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["district", "kind", "serial"], name="fleet_equipment_serial"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"


class EquipmentCheck(models.Model):
    item = models.ForeignKey(EquipmentItem, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ok = models.BooleanField(_("works"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    remark = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.checked_on} {'ok' if self.ok else 'failed'}"
