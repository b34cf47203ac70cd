"""The SSO roster: shifts (with relief and swaps), days off and leave, and events needing cover.

- `Shift`: one officer on duty from `starts_at` to `ends_at` (end exclusive). A relief shift
  points at the shift it relieves; a shift covering an event points at the event.
- `Leave`: days off, vacation, sick or training leave, whole local days (`first_day` to
  `last_day`, both included). No shift of the officer may fall on those days.
- `CoverageEvent`: an evening or athletic event that needs `officers_needed` officers; each
  officer assigned gets an event shift.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeops.core.models import TimeStampedModel
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Person

MAX_SHIFT_HOURS = 16
ENDS_BEFORE_START = _("The end must be after the start.")
SHIFT_TOO_LONG = _("A shift lasts at most {hours} hours.")
NOT_AN_OFFICER = _("Only School Safety Officers are on the roster.")
OTHER_DISTRICT = _("{what} belongs to another district.")
LAST_DAY_BEFORE_FIRST = _("The last day must be on or after the first day.")


class ShiftKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    RELIEF = "relief", _("Relief")
    EVENT = "event", _("Event coverage")


class LeaveKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    VACATION = "vacation", _("Vacation")
    SICK = "sick", _("Sick leave")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other leave")


class EventKind(models.TextChoices):
    EVENING = "evening", _("Evening event")
    ATHLETIC = "athletic", _("Athletic event")
    OTHER = "other", _("Other event")


def _check_officer(person: Person, district_id: int | None) -> dict[str, str]:
    errors = {}
    if person.role != Role.SSO:
        errors["person"] = str(NOT_AN_OFFICER)
    elif district_id is not None and person.district_id != district_id:
        errors["person"] = str(OTHER_DISTRICT).format(what=_("The officer"))
    return errors


class CoverageEvent(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    officers_needed = models.PositiveSmallIntegerField(
        _("officers needed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    comment = models.CharField(_("comment"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["starts_at", "pk"]
        indexes: ClassVar = [models.Index(fields=["district", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": ENDS_BEFORE_START})
        school = self.school if self.school_id else None
        if school is not None and self.district_id and school.district_id != self.district_id:
            raise ValidationError({"school": str(OTHER_DISTRICT).format(what=_("The school"))})


class Shift(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=ShiftKind.choices, default=ShiftKind.REGULAR
    )
    relieves = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reliefs"
    )
    coverage_event = models.ForeignKey(
        CoverageEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="shifts"
    )
    comment = models.CharField(_("comment"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["starts_at", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["district", "starts_at"]),
            models.Index(fields=["person", "starts_at"]),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="roster_shift_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                errors["ends_at"] = str(ENDS_BEFORE_START)
            elif (self.ends_at - self.starts_at).total_seconds() > MAX_SHIFT_HOURS * 3600:
                errors["ends_at"] = str(SHIFT_TOO_LONG).format(hours=MAX_SHIFT_HOURS)
        if self.person_id:
            errors.update(_check_officer(self.person, self.district_id))
        if errors:
            raise ValidationError(errors)


class Leave(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    kind = models.CharField(_("kind"), max_length=10, choices=LeaveKind.choices)
    comment = models.CharField(_("comment"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["first_day", "pk"]
        indexes: ClassVar = [models.Index(fields=["district", "first_day"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="roster_leave_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_day}–{self.last_day}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.first_day and self.last_day and self.last_day < self.first_day:
            errors["last_day"] = str(LAST_DAY_BEFORE_FIRST)
        if self.person_id:
            errors.update(_check_officer(self.person, self.district_id))
        if errors:
            raise ValidationError(errors)
