"""Zone-planning scenarios: parameters, a background run, its result, and adoption."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeops.core.models import Job, TimeStampedModel
from safeops.schools.models import District


class ScenarioStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", pgettext_lazy("scenario run", "Done")
    FAILED = "failed", _("Failed")


class Scenario(TimeStampedModel):
    """One planning run: how many officers (or a response target) and the zone rules.

    `summary` holds the plan as the planning package reports it (the same JSON as
    `safeops plan`'s summary.json), with school ids being this database's school ids.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=100)
    officers = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A fixed officer count; empty to search for a target."
    )
    target_minutes = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Smallest officer count reaching this response time…",
    )
    percentile = models.FloatField(
        default=90,
        validators=[MinValueValidator(50), MaxValueValidator(99)],
        help_text="…for this share of calls.",
    )
    min_size = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    max_size = models.PositiveSmallIntegerField(default=7, validators=[MinValueValidator(1)])
    dedicated_levels = models.JSONField(
        default=list, blank=True, help_text="School levels that get their own officer."
    )
    aligned = models.BooleanField(default=True, help_text="Zones follow high-school feeder areas.")
    equity = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 weighs every call the same, 1 every school, between a blend.",
    )
    equity_curve = models.BooleanField(
        default=False, help_text="Also plan the count at five blends (mean against worst school)."
    )
    seed = models.PositiveIntegerField(default=0)

    status = models.CharField(
        max_length=10, choices=ScenarioStatus.choices, default=ScenarioStatus.QUEUED
    )
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    summary = models.JSONField(null=True, blank=True)
    staffing = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_effective_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class PlanningCosts(TimeStampedModel):
    """The district's unit costs a year, for each scenario's annual cost (planning.cost)."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="planning_costs"
    )
    officer = models.PositiveIntegerField(help_text="Dollars a year for one sworn officer.")
    vehicle = models.PositiveIntegerField(help_text="Dollars a year for one patrol vehicle.")
    safety_administrator = models.PositiveIntegerField(
        help_text="Dollars a year for one Safety Administrator."
    )

    class Meta:
        verbose_name_plural = "planning costs"

    def __str__(self) -> str:
        return f"Planning costs of {self.district}"
