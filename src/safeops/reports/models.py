"""The reports' own tables: enrollment denominators and the precomputed, published cells.

- `Enrollment`: students enrolled at a school in a school year, in total and by group (the
  denominators of rates and relative rate indexes), imported (`reports.enrollment`).
- `PublishedCell`: one figure of one measure for one period and scope, as published after
  disclosure control (`value` None with `withheld` when hidden). Written only by the refresh
  job (`reports.precompute`); the dashboard and the downloads read only these rows.
- `Refresh`: when the cells were last computed, and how long it took.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from safeops.schools.models import District, School


class GroupKind(models.TextChoices):
    ALL = "all", "All students"
    RACE_ETHNICITY = "race_ethnicity", "Race/ethnicity"
    SEX = "sex", "Sex"
    DISABILITY = "disability", "Disability/504"
    ENGLISH_LEARNER = "english_learner", "English learner"


class Enrollment(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.CharField(max_length=7, help_text="e.g. 2025-26")
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    group = models.CharField(max_length=40, help_text="The group (dispatch's demographic codes).")
    count = models.PositiveIntegerField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["school", "school_year", "kind", "group"], name="enrollment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.school_year} {self.kind}:{self.group} {self.count}"


class PublishedCell(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=20, help_text="2025-26, 2025-26-spring or 2025-09")
    scope = models.CharField(max_length=40, help_text="district, zone:<id>, level:<level>…")
    measure = models.CharField(max_length=30)
    dimension = models.CharField(max_length=40)
    category = models.CharField(max_length=40)
    stat = models.CharField(max_length=20, default="count")
    value = models.FloatField(null=True)
    withheld = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["district", "period", "scope"], name="cell_page"),
            models.Index(fields=["district", "scope", "measure"], name="cell_trend"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.scope} {self.measure}.{self.dimension}.{self.category}"


class Refresh(models.Model):
    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="+")
    finished_at = models.DateTimeField()
    seconds = models.FloatField()
    cells = models.PositiveIntegerField()
    periods = models.JSONField(default=list, help_text="The periods computed, newest first.")

    def __str__(self) -> str:
        return f"{self.district_id} refreshed {self.finished_at}"
