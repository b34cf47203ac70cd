"""Districts and their schools."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext

from safeops.core.models import TimeStampedModel
from safeops.schools.choices import GRADE_ORDER, GRADES, HIGH_SCHOOL_LEVELS, SchoolLevel

GRADE_CHOICES = [(grade, grade) for grade in GRADES]


class District(TimeStampedModel):
    name = models.CharField(max_length=150, unique=True)
    state = models.CharField(max_length=2, default="KY")

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class School(TimeStampedModel):
    """A school or program site. Its location is WGS84 latitude/longitude."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=20, blank=True, help_text="State school code (e.g. Kentucky 275xxx)."
    )
    nces_id = models.CharField(max_length=12, blank=True, verbose_name="NCES id")
    level = models.CharField(max_length=20, choices=SchoolLevel.choices)
    grade_low = models.CharField(max_length=2, choices=GRADE_CHOICES, blank=True)
    grade_high = models.CharField(max_length=2, choices=GRADE_CHOICES, blank=True)
    address = models.CharField(max_length=250, blank=True)
    latitude = models.FloatField(validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(validators=[MinValueValidator(-180), MaxValueValidator(180)])
    enrollment = models.PositiveIntegerField(null=True, blank=True)
    feeder_high_school = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feeder_schools",
        help_text="The high school this school feeds (itself for a high school).",
    )
    other_feeder_high_schools = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="split_feeder_schools",
        help_text="Further high schools where the feeder pattern is split.",
    )
    resides_high_school = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_schools",
        help_text="The high school whose residence boundary contains this site.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["district", "name"], name="school_unique_name_in_district"
            ),
            models.UniqueConstraint(
                fields=["district", "code"],
                condition=~models.Q(code=""),
                name="school_unique_code_in_district",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def grade_span(self) -> str:
        if self.grade_low and self.grade_high:
            return f"{self.grade_low}–{self.grade_high}"
        return self.grade_low or self.grade_high

    @property
    def is_high_school(self) -> bool:
        return self.level in HIGH_SCHOOL_LEVELS

    def clean(self) -> None:
        if (
            self.grade_low
            and self.grade_high
            and GRADE_ORDER[self.grade_low] > GRADE_ORDER[self.grade_high]
        ):
            raise ValidationError(
                {"grade_high": gettext("The highest grade is below the lowest grade.")}
            )
        for field in ("feeder_high_school", "resides_high_school"):
            target = getattr(self, field)
            if target is None:
                continue
            if target.district_id != self.district_id:
                raise ValidationError({field: gettext("That high school is in another district.")})
            if target.pk != self.pk and not target.is_high_school:
                raise ValidationError(
                    {field: gettext("%(school)s is not a high school.") % {"school": target}}
                )
