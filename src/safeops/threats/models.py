"""Threat monitoring (anonymous tips) and behavioral threat assessment cases.

Education records under FERPA: narrative fields are sealed (encrypted at rest, see
safeops.core.crypto) in `*_sealed` columns and read through properties; the audit log's
snapshot therefore records ciphertext only. A tip stores nothing about who sent it: no IP
address, no user agent, no session or cookie; the reporter holds a tip code and a secret
phrase (only its hash is stored). Subjects appear by a minimal identifier, never a profile.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from safeops.core.crypto import sealed_property
from safeops.core.demographics import DisabilityStatus, RaceEthnicity
from safeops.core.models import StoredUpload, TimeStampedModel
from safeops.schools.models import District, School
from safeops.staff.models import Person
from safeops.threats.choices import (
    CaseSource,
    Classification,
    Dimension,
    RecordKind,
    Stage,
    TipCloseReason,
    TipEventKind,
    TipStatus,
    Urgency,
)

USER = settings.AUTH_USER_MODEL


class Dated(models.Model):
    """A designation valid over [starts_on, ends_on)."""

    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True


class ThreatLead(Dated):
    """The district threat-assessment lead: designated (and ended) by the security chief."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["-starts_on"]

    def __str__(self) -> str:
        return f"Threat-assessment lead: {self.person} from {self.starts_on}"


class TeamMember(Dated):
    """A member of a school's threat assessment team (KRS 158.4412: at least two staff)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    team_role = models.CharField(
        max_length=60, blank=True, help_text="e.g. administrator, counselor, SRO, mental health"
    )

    class Meta:
        ordering: ClassVar = ["school_id", "starts_on"]

    def __str__(self) -> str:
        return f"{self.person} on the team of {self.school}"


class Tip(TimeStampedModel):
    """An anonymous tip. Nothing here identifies the reporter."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    place_sealed = models.TextField(blank=True, help_text="Free-text place (sealed).")
    what_sealed = models.TextField(help_text="What the reporter saw or heard (sealed).")
    when_text = models.CharField(max_length=120, blank=True)
    urgency = models.CharField(max_length=12, choices=Urgency.choices)
    status = models.CharField(max_length=10, choices=TipStatus.choices, default=TipStatus.NEW)
    code = models.CharField(max_length=20, unique=True)
    phrase_digest = models.CharField(max_length=64)
    imminent = models.BooleanField(
        default=False, help_text="Marked imminent by the reporter or at triage."
    )
    alerted_at = models.DateTimeField(null=True, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, choices=TipCloseReason.choices, blank=True)
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="Keyed hash of the normalised text (hoax patterns)."
    )
    hoax_flags = models.CharField(max_length=200, blank=True)

    place = sealed_property("place_sealed")
    what = sealed_property("what_sealed")

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"Tip {self.code}"


class TipAttachment(StoredUpload):
    """A file sent with a tip, stored encrypted (its bytes are sealed)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="threats/tips/")

    def __str__(self) -> str:
        return f"Attachment {self.pk} of {self.tip}"


class TipEvent(models.Model):
    """One entry of a tip's timeline. `author` is empty for the reporter and the system."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=TipEventKind.choices)
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body_sealed = models.TextField(blank=True)

    body = sealed_property("body_sealed")

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.tip})"


class TipRateSecret(models.Model):
    """The random key of one rate-limit window; deleted with the window's counters."""

    window_start = models.DateTimeField(unique=True)
    secret = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"Rate window {self.window_start:%Y-%m-%d %H:00}"


class TipRateCount(models.Model):
    """Tips sent in one window by one keyed hash of a client address (never the address)."""

    window_start = models.DateTimeField(db_index=True)
    digest = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["window_start", "digest"], name="tip_rate_once")
        ]

    def __str__(self) -> str:
        return f"{self.count} in window {self.window_start:%Y-%m-%d %H:00}"


class ThreatCase(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=CaseSource.choices)
    tip = models.ForeignKey(
        Tip, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_sealed = models.TextField(
        help_text="Student number, or initials; sealed. No name, no profile."
    )
    grade = models.CharField(max_length=4, blank=True)
    concern_sealed = models.TextField(help_text="The behavior or statement, in the words heard.")
    stage = models.CharField(max_length=14, choices=Stage.choices, default=Stage.EVALUATION)
    classification = models.CharField(
        max_length=14, choices=Classification.choices, blank=True, default=""
    )
    disability_status = models.CharField(
        max_length=12, choices=DisabilityStatus.choices, default=DisabilityStatus.NOT_REPORTED
    )
    race_ethnicity = models.CharField(
        max_length=40, choices=RaceEthnicity.choices, default=RaceEthnicity.NOT_REPORTED
    )
    follow_up_every_days = models.PositiveSmallIntegerField(null=True, blank=True)
    next_follow_up_on = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason_sealed = models.TextField(blank=True)
    override_reason_sealed = models.TextField(blank=True)
    override_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    subject = sealed_property("subject_sealed")
    concern = sealed_property("concern_sealed")
    close_reason = sealed_property("close_reason_sealed")
    override_reason = sealed_property("override_reason_sealed")

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"Threat case {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED


class CaseTeamMember(models.Model):
    case = models.ForeignKey(ThreatCase, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "person"], name="case_team_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.case}"


class CaseRecord(models.Model):
    """An interview, a witness statement, a protective action, a notification…: who, when."""

    case = models.ForeignKey(ThreatCase, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=24, choices=RecordKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body_sealed = models.TextField()

    body = sealed_property("body_sealed")

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"


class LawEnforcementConsultation(models.Model):
    """A recorded consultation (CSTAG step 5): with whom and why. Naming an SSO shares this one
    case with that officer (the explicit, logged "share with SSO")."""

    case = models.ForeignKey(ThreatCase, on_delete=models.CASCADE, related_name="consultations")
    officer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consulted_with = models.CharField(max_length=150, help_text="Name, agency, badge.")
    reason_sealed = models.TextField()
    at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    reason = sealed_property("reason_sealed")

    def __str__(self) -> str:
        return f"Law enforcement consultation on {self.case}"


class PlanTask(models.Model):
    """A task of the case's safety or intervention plan (CSTAG step 6)."""

    case = models.ForeignKey(ThreatCase, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=150)
    details_sealed = models.TextField(blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    details = sealed_property("details_sealed")

    class Meta:
        ordering: ClassVar = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    """One monitoring follow-up (CSTAG step 7): due on a day, done with a note."""

    case = models.ForeignKey(ThreatCase, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note_sealed = models.TextField(blank=True)

    note = sealed_property("note_sealed")

    class Meta:
        ordering: ClassVar = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Follow-up of {self.case} due {self.due_on}"


class EnrollmentGroup(models.Model):
    """District enrollment of one group, the denominator of the fairness indicators."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    group = models.CharField(max_length=40)
    students = models.PositiveIntegerField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["district", "dimension", "group"], name="enrollment_group_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.group} {self.students}"
