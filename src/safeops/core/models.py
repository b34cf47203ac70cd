"""Shared model pieces and the audit log."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class StoredUpload(models.Model):
    """What every uploaded file records beside the file itself (checked by its bytes)."""

    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    VIEW = "view", _("View")
    EXPORT = "export", _("Export")


class AuditEntry(models.Model):
    """One write, or one read of a sensitive record: who, when, what, and the values before/after.

    Entries are append-only: the admin shows them read-only and services never update them.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text="Username, or system:<command>.")
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    model = models.CharField(max_length=100, help_text="app_label.model_name")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True, help_text="field: [before, after]")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["-at", "-id"]
        indexes: ClassVar = [models.Index(fields=["model", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_label} {self.action} {self.model}:{self.object_id}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Job(models.Model):
    """A unit of background work, stored in the database so it survives a restart.

    Timers (run_after in the future) and long computations both use it; a worker claims due
    jobs one at a time. See safeops.core.jobs.
    """

    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    run_after = models.DateTimeField(db_index=True)
    dedupe_key = models.CharField(max_length=120, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    progress = models.FloatField(default=0.0)
    progress_message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    slot_key = models.CharField(
        max_length=120,
        blank=True,
        help_text="A scheduled run's slot (kind@local time): one job per slot, ever.",
    )

    class Meta:
        ordering: ClassVar = ["run_after", "id"]
        indexes: ClassVar = [
            models.Index(fields=["status", "run_after"]),
            models.Index(fields=["status", "finished_at"], name="core_job_status_finished"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["slot_key"], condition=~models.Q(slot_key=""), name="core_job_one_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class WorkerHeartbeat(models.Model):
    """A job worker's last sign of life (one row per worker), read by /readyz."""

    name = models.CharField(max_length=120, unique=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.name} (seen {self.seen_at:%Y-%m-%d %H:%M:%S})"


class AccessGeneration(models.Model):
    """One row: a random value replaced in the transaction of every change to what grants
    access (a token, a user, a person, an assignment, a zone's schools). Server processes key
    what they keep of tokens and scopes by it (safeops.core.accessgen)."""

    value = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.value


class DisciplineRefusalRecord(models.Model):
    """One refused discipline matter, counted for the reports. No free text is kept.

    Written by safeops.core.discipline when an intake (dispatch, threat assessment…) sends a
    discipline matter back to school administration.
    """

    on = models.DateField(db_index=True)
    district = models.ForeignKey(
        "schools.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=40, help_text="The intake, e.g. dispatch.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.source} refusal"


class CalendarFeedToken(models.Model):
    """The secret in a user's iCalendar feed URLs (drills, training): only its digest is stored.

    Moved here from drills (its table was renamed, its rows kept: drills 0002, core 0005)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class DisciplineOverride(models.Model):
    """A text the discipline guard refused, filed as safety because the user said why.

    Written by safeops.core.discipline in the transaction that files the request; the filed
    record is named by model label and id (core sits below the apps that file). Audited.
    """

    on = models.DateField(db_index=True)
    district = models.ForeignKey(
        "schools.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=40, help_text="The intake, e.g. dispatch.")
    topic = models.CharField(max_length=40, help_text="The discipline topic the guard matched.")
    reason = models.CharField(max_length=300, help_text="Why the user says it is safety.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150)
    target_model = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.source} override ({self.target_model} {self.target_id})"


# The notification service's rows (safeops.core.notify) belong to the core app.
import safeops.core.notify.models  # noqa: E402, F401
