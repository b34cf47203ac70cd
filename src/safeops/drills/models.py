"""School calendars, drill rules (as data), the drill log and its corrective actions.

- `SchoolYear`: a district's year, first and last instructional day; `NonInstructionalDay`
  rows (holidays, breaks, PD days) are the calendar the 30-instructional-day windows use.
- `DrillType` and `DrillRule`: what the district requires (Kentucky's rules are seeded).
- `Drill` and `CorrectiveAction`: the log.
- `DrillReminder`: one row per reminder e-mail sent, so a reminder goes out once.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from safeops.core.models import TimeStampedModel
from safeops.drills.engine import WindowKind
from safeops.schools.models import District, School
from safeops.staff.models import Person

YEAR_ENDS_BEFORE_START = gettext_noop("The last instructional day must be after the first.")
YEAR_TOO_LONG = gettext_noop("A school year is at most 366 days long.")
DAY_OUTSIDE_YEAR = gettext_noop("{day} is outside the school year {year}.")
DRILL_OUTSIDE_YEARS = gettext_noop("No school year of this district covers {day}.")
PARAM_REQUIRED = gettext_noop(
    "Give the number of instructional days (first days) or the month (1–12)."
)


class SchoolYear(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="school_years")
    name = models.CharField(max_length=20, help_text="e.g. 2026-27")
    first_day = models.DateField(help_text="First instructional day.")
    last_day = models.DateField(help_text="Last instructional day.")

    class Meta:
        ordering: ClassVar = ["-first_day"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "name"], name="schoolyear_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.first_day and self.last_day:
            if self.last_day <= self.first_day:
                raise ValidationError({"last_day": YEAR_ENDS_BEFORE_START})
            if (self.last_day - self.first_day).days > 366:
                raise ValidationError({"last_day": YEAR_TOO_LONG})


class NonInstructionalDay(models.Model):
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.CASCADE, related_name="non_instructional_days"
    )
    date = models.DateField()
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering: ClassVar = ["date"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["school_year", "date"], name="noninstr_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}".strip()

    def clean(self) -> None:
        year = self.school_year
        if self.date and not (year.first_day <= self.date <= year.last_day):
            raise ValidationError(
                {"date": gettext(DAY_OUTSIDE_YEAR).format(day=self.date, year=year)}
            )


class DrillType(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="drill_types")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    timed_measure = models.CharField(
        max_length=80, default="Time to evacuate or secure", help_text="What the timing measures."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "code"], name="drilltype_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class DrillRule(TimeStampedModel):
    """One window of a drill requirement, e.g. "one lockdown drill in January"."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="drill_rules")
    drill_type = models.ForeignKey(DrillType, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(
        max_length=20,
        choices=[
            (WindowKind.FIRST_DAYS.value, _("Within the first N instructional days")),
            (WindowKind.EACH_MONTH.value, _("Every month school is in session")),
            (WindowKind.MONTH.value, _("In one month of the school year")),
            (WindowKind.SCHOOL_YEAR.value, _("Anywhere in the school year")),
        ],
    )
    param = models.PositiveSmallIntegerField(
        default=0, help_text="N instructional days (first days) or the month number (month)."
    )
    count = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    extra = models.BooleanField(
        default=False, help_text="Needs a drill of its own beyond the type's other windows."
    )
    legal_source = models.CharField(max_length=200)
    legal_url = models.URLField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["drill_type__name", "kind", "param"]

    def __str__(self) -> str:
        return f"{self.drill_type}: {self.get_kind_display()} ({self.legal_source})"

    def clean(self) -> None:
        if self.kind == WindowKind.FIRST_DAYS and not self.param:
            raise ValidationError({"param": PARAM_REQUIRED})
        if self.kind == WindowKind.MONTH and not 1 <= self.param <= 12:
            raise ValidationError({"param": PARAM_REQUIRED})


class Drill(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="drills")
    drill_type = models.ForeignKey(DrillType, on_delete=models.PROTECT, related_name="drills")
    started_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    time_to_clear_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Time to evacuate or secure, in seconds."
    )
    participants = models.PositiveIntegerField(help_text="Students and staff taking part.")
    observers = models.CharField(
        max_length=300, blank=True, help_text="e.g. the zone SSO, the fire department."
    )
    issues = models.TextField(blank=True, help_text="What went wrong.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["-started_at"]
        indexes: ClassVar = [models.Index(fields=["school", "drill_type", "started_at"])]

    def __str__(self) -> str:
        return f"{self.drill_type} drill, {self.school}, {self.started_at:%Y-%m-%d}"


class CorrectiveAction(TimeStampedModel):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="corrective_actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class DrillReminder(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    window_key = models.CharField(max_length=100)
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["school", "window_key"], name="drillreminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.window_key}"
