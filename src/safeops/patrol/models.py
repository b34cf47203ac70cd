"""SSO patrol: bell times, patrol points, the district's settings, day plans and visits.

Times of day are minutes since midnight in the district's time zone (the planner's unit).
Risk comes from counts per school (requests, incidents, protective actions); no row here names
a student.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeops.core.models import TimeStampedModel
from safeops.patrol.choices import DropReason, OverrideKind, PointKind, SkipReason, VisitStatus
from safeops.schools.models import District, School
from safeops.staff.models import Person
from safeops.zones.models import Zone

MINUTE_OF_DAY = [MinValueValidator(0), MaxValueValidator(24 * 60 - 1)]
LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]

BELL_ORDER = _("The end bell must be after the start bell.")
WINDOW_ORDER = _("The window must end after it starts.")
WINDOW_HALF = _("Give both the window's start and its end, or neither.")


def minute_label(minute: int | None) -> str:
    """`435` -> `07:15`."""
    if minute is None:
        return ""
    return f"{minute // 60:02d}:{minute % 60:02d}"


class PatrolSettings(TimeStampedModel):
    """The district's patrol rules (one row per district; defaults when absent)."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="+")
    shift_start = models.PositiveSmallIntegerField(default=7 * 60, validators=MINUTE_OF_DAY)
    shift_end = models.PositiveSmallIntegerField(default=15 * 60 + 30, validators=MINUTE_OF_DAY)
    arrival_before = models.PositiveSmallIntegerField(default=30)
    arrival_after = models.PositiveSmallIntegerField(default=15)
    dismissal_before = models.PositiveSmallIntegerField(default=30)
    dismissal_after = models.PositiveSmallIntegerField(default=15)
    geofence_m = models.PositiveIntegerField(default=150, validators=[MinValueValidator(10)])
    weekly_visits = models.PositiveSmallIntegerField(
        default=2, help_text=_("Every school is visited at least this many times a week.")
    )
    high_risk = models.FloatField(
        default=3.0,
        validators=[MinValueValidator(1.0)],
        help_text=_("Schools at or above this risk weight are covered at dismissal every day."),
    )
    risk_days = models.PositiveSmallIntegerField(default=30, validators=[MinValueValidator(1)])
    weekends = models.BooleanField(
        default=False, help_text=_("Plan patrols on Saturdays and Sundays too.")
    )
    long_call_minutes = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(24 * 60)],
        help_text=_(
            "An officer on one call this long loses the zone's next bell windows to a neighbour."
        ),
    )

    def clean(self) -> None:
        if self.shift_end <= self.shift_start:
            raise ValidationError({"shift_end": _("The shift must end after it starts.")})

    def __str__(self) -> str:
        return f"Patrol settings of {self.district_id}"


class BellSchedule(TimeStampedModel):
    """A school's regular start and end bells."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="bell_schedule")
    start_minute = models.PositiveSmallIntegerField(validators=MINUTE_OF_DAY)
    end_minute = models.PositiveSmallIntegerField(validators=MINUTE_OF_DAY)

    def clean(self) -> None:
        if self.end_minute <= self.start_minute:
            raise ValidationError({"end_minute": BELL_ORDER})

    def __str__(self) -> str:
        return f"{self.school}: {self.start_label}–{self.end_label}"

    @property
    def start_label(self) -> str:
        return minute_label(self.start_minute)

    @property
    def end_label(self) -> str:
        return minute_label(self.end_minute)


class BellOverride(TimeStampedModel):
    """A late start, an early release or no school on one date (one school, or the whole
    district when `school` is empty). The drill calendar's non-instructional days count as
    no-school days without one; late starts and early releases live only here."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=OverrideKind.choices)
    # Minutes moved: a late start's start bell is later, an early release's end bell earlier.
    shift_minutes = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["district", "school", "day"], name="patrol_override_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"


class PatrolPoint(TimeStampedModel):
    """A place to patrol that is not a school: a bus stop with its times, a park, a corridor."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=PointKind.choices)
    latitude = models.FloatField(validators=LATITUDE)
    longitude = models.FloatField(validators=LONGITUDE)
    window_start = models.PositiveSmallIntegerField(null=True, blank=True, validators=MINUTE_OF_DAY)
    window_end = models.PositiveSmallIntegerField(null=True, blank=True, validators=MINUTE_OF_DAY)
    risk = models.FloatField(default=1.0, validators=[MinValueValidator(0.1)])
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "name"], name="patrol_point_name_once")
        ]

    def clean(self) -> None:
        if (self.window_start is None) != (self.window_end is None):
            raise ValidationError({"window_end": WINDOW_HALF})
        if (
            self.window_start is not None
            and self.window_end is not None
            and self.window_end <= self.window_start
        ):
            raise ValidationError({"window_end": WINDOW_ORDER})

    def __str__(self) -> str:
        return self.name

    @property
    def window_label(self) -> str:
        if self.window_start is None or self.window_end is None:
            return ""
        return f"{minute_label(self.window_start)}–{minute_label(self.window_end)}"


class PatrolPlan(TimeStampedModel):
    """One officer's plan for one day, as the planner last made it."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="patrol_plans")
    zone = models.ForeignKey(
        Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    day = models.DateField()
    seed = models.BigIntegerField()
    shift_start = models.PositiveSmallIntegerField()
    shift_end = models.PositiveSmallIntegerField()
    start_latitude = models.FloatField()
    start_longitude = models.FloatField()
    travel_minutes = models.FloatField(default=0)
    windows_targeted = models.PositiveIntegerField(default=0)
    windows_covered = models.PositiveIntegerField(default=0)
    predictability = models.FloatField(null=True, blank=True)
    # Targets the planner could not meet ([{"site", "window", "reason"}]), and what was lost
    # when this officer's rest of the day went to neighbours (absorb).
    shortfalls = models.JSONField(default=list, blank=True)
    lost = models.JSONField(default=list, blank=True)
    # When the rest of the day went to neighbours: why, and which stops each one took
    # ([{"site", "window", "to", "arrive"}]).
    absorbed_reason = models.CharField(max_length=12, choices=DropReason.choices, blank=True)
    absorbed = models.JSONField(default=list, blank=True)
    revision = models.PositiveIntegerField(default=1)
    replanned_from = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["day", "person__full_name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "day"], name="patrol_plan_once_a_day")
        ]
        indexes: ClassVar = [models.Index(fields=["district", "day"])]

    def __str__(self) -> str:
        return f"{self.person} {self.day}"


class PlannedVisit(models.Model):
    """A stop of a plan, and what the officer did there."""

    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="visits")
    position = models.PositiveSmallIntegerField()
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    point = models.ForeignKey(
        PatrolPoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    arrive_minute = models.PositiveSmallIntegerField()
    depart_minute = models.PositiveSmallIntegerField()
    window_label = models.CharField(max_length=20, blank=True)
    status = models.CharField(
        max_length=12, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    done_at = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(null=True, blank=True, validators=LONGITUDE)
    distance_m = models.FloatField(null=True, blank=True)
    within_geofence = models.BooleanField(null=True, blank=True)
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    skip_note = models.CharField(max_length=200, blank=True)
    client_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering: ClassVar = ["plan", "position"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(models.Q(school__isnull=False) & models.Q(point__isnull=True))
                | (models.Q(school__isnull=True) & models.Q(point__isnull=False)),
                name="patrol_visit_one_place",
            ),
            models.UniqueConstraint(
                fields=["client_key"],
                condition=~models.Q(client_key=""),
                name="patrol_visit_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} {minute_label(self.arrive_minute)}"

    @property
    def place(self) -> School | PatrolPoint:
        return self.school if self.school is not None else self.point  # type: ignore[return-value]

    @property
    def site_id(self) -> str:
        return f"s{self.school_id}" if self.school_id else f"p{self.point_id}"
