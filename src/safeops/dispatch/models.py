"""Live SSO response: support requests, officers' duty and position, the timeline.

- `DispatchSettings`: one row per district (targets, timers, margins, who sees demographics).
- `OfficerStatus`: one row per SSO; the row assignment locks (duty, position, load).
- `SupportRequest`: an SA's call for support and its current state.
- `StatusEvent`: every status change (the timeline); unique per idempotency key.
- `ClearingDemographics`: restricted fields of a citation, arrest or use of force.
- `DispatchEvent`: the live-board feed; its id is the sequence number clients resume from.
- `Alert`: a supervisor alert on the board, acknowledged and resolved (or resolved by its
  request closing).
- `Integration`, `IntakeDevice`, `IntakeEvent`: panic/badge systems that post signed alarms
  (docs/dispatch.md "Intake"); one P1 per sender event id.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext

from safeops.core.crypto import sealed_property
from safeops.core.demographics import DisabilityStatus, EnglishLearner, RaceEthnicity, Sex
from safeops.core.models import TimeStampedModel
from safeops.dispatch.alert_texts import alert_messages, alert_text
from safeops.dispatch.choices import (
    AlertKind,
    AlertResolution,
    Category,
    Disposition,
    EventKind,
    LapsedPolicy,
    Priority,
    Source,
    Status,
    label_of,
)
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.zones.models import Zone

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


def default_demographics_roles() -> list[str]:
    return [Role.SECURITY_CHIEF.value]


class DispatchSettings(TimeStampedModel):
    """What the district configures for dispatch. Missing row: the defaults below apply."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="dispatch_settings"
    )
    p1_target_minutes = models.PositiveSmallIntegerField(default=5)
    p2_target_minutes = models.PositiveSmallIntegerField(default=10)
    p3_target_minutes = models.PositiveSmallIntegerField(default=30)
    p1_ack_seconds = models.PositiveIntegerField(
        default=60, help_text="An unacknowledged P1 is offered to the next officer after this."
    )
    p2_ack_seconds = models.PositiveIntegerField(default=120)
    own_zone_margin_minutes = models.FloatField(
        default=2.0,
        validators=[MinValueValidator(0)],
        help_text="The zone's own officer is preferred when within this many minutes of the best.",
    )
    stale_position_seconds = models.PositiveIntegerField(
        default=120, help_text="A position older than this is shown as stale."
    )
    allow_stacking = models.BooleanField(
        default=False, help_text="May an officer hold several open requests at once?"
    )
    max_stacked = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1)], help_text="With stacking: at most this many."
    )
    demographics_roles = models.JSONField(
        default=default_demographics_roles,
        blank=True,
        help_text="Roles that may read the demographic fields of enforcement clearings.",
    )
    lapsed_policy = models.CharField(
        max_length=20,
        choices=LapsedPolicy.choices,
        default=LapsedPolicy.EXCLUDE,
        help_text=(
            "An officer whose SRO training or POPS certification lapsed: left out, or offered "
            "last and assigned only with a recorded reason."
        ),
    )

    class Meta:
        verbose_name = "dispatch settings"
        verbose_name_plural = "dispatch settings"

    def __str__(self) -> str:
        return f"Dispatch settings of {self.district}"

    def clean(self) -> None:
        roles = self.demographics_roles
        if not isinstance(roles, list) or any(r not in Role.values for r in roles):
            raise ValidationError(
                {"demographics_roles": gettext("A list of role values is expected.")}
            )

    def target_minutes(self, priority: str) -> int:
        return {
            Priority.P1: self.p1_target_minutes,
            Priority.P2: self.p2_target_minutes,
            Priority.P3: self.p3_target_minutes,
        }[Priority(priority)]

    def ack_seconds(self, priority: str) -> int | None:
        """The escalation timer of a priority (None: P3 does not escalate)."""
        return {Priority.P1: self.p1_ack_seconds, Priority.P2: self.p2_ack_seconds}.get(
            Priority(priority)
        )


class OfficerStatus(models.Model):
    """An SSO's duty, last known position and load. Assignment locks this row."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="officer_status")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    on_duty = models.BooleanField(default=False)
    duty_changed_at = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(null=True, blank=True, validators=LONGITUDE)
    accuracy_m = models.FloatField(null=True, blank=True)
    position_at = models.DateTimeField(null=True, blank=True)
    open_request_count = models.PositiveSmallIntegerField(default=0)
    current_request = models.ForeignKey(
        "SupportRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "officer statuses"
        indexes: ClassVar = [models.Index(fields=["district", "on_duty"])]

    def __str__(self) -> str:
        duty = "on duty" if self.on_duty else "off duty"
        return f"{self.person.full_name} ({duty})"

    def clean(self) -> None:
        if self.person_id and self.person.role != Role.SSO:
            raise ValidationError(
                {"person": gettext("Only School Safety Officers take support requests.")}
            )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"latitude": gettext("Give both latitude and longitude, or neither.")}
            )


class SupportRequest(TimeStampedModel):
    """A call for support from a school (or another point such as a bus stop)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="support_requests"
    )
    zone = models.ForeignKey(
        Zone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
        help_text="The zone serving the place when the request was made.",
    )
    latitude = models.FloatField(validators=LATITUDE)
    longitude = models.FloatField(validators=LONGITUDE)
    location_description = models.CharField(max_length=200, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester_label = models.CharField(max_length=150)
    category = models.CharField(max_length=30, choices=Category.choices)
    priority = models.CharField(max_length=2, choices=Priority.choices)
    summary = models.CharField(max_length=280)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    officer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="support_requests"
    )
    eta_minutes = models.FloatField(null=True, blank=True)
    eta_updated_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    on_scene_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    response_seconds = models.FloatField(
        null=True, blank=True, help_text="Created → on scene, in seconds."
    )
    disposition = models.CharField(max_length=30, choices=Disposition.choices, blank=True)
    client_key = models.CharField(
        max_length=64, blank=True, help_text="The requester's key: a retried create is one request."
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FILED)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["district", "status"]),
            models.Index(fields=["officer", "status"]),
            models.Index(fields=["created_at"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["requester", "client_key"],
                condition=~models.Q(client_key=""),
                name="support_request_unique_client_key",
            ),
            models.CheckConstraint(
                condition=models.Q(school__isnull=False) | ~models.Q(location_description=""),
                name="support_request_has_a_place",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {label_of(Priority, self.priority)} {label_of(Category, self.category)}"

    @property
    def place(self) -> str:
        if self.school is not None:
            name = self.school.name
            return f"{name} — {self.location_description}" if self.location_description else name
        return self.location_description

    @property
    def is_p1(self) -> bool:
        return self.priority == Priority.P1

    def clean(self) -> None:
        if self.school_id is None and not self.location_description:
            raise ValidationError(
                {
                    "location_description": gettext(
                        "Describe the place (e.g. the bus stop) or pick a school."
                    )
                }
            )
        if self.school is not None and self.school.district_id != self.district_id:
            raise ValidationError({"school": gettext("The school is in another district.")})


class StatusEvent(models.Model):
    """One status change of a request: the timeline. Who, when, from, to, which officer."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    officer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=64, blank=True)
    disposition = models.CharField(max_length=30, choices=Disposition.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    override_reason = models.CharField(
        max_length=300, blank=True, help_text="Why an officer whose SRO standing lapsed was sent."
    )

    class Meta:
        ordering: ClassVar = ["at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["request", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="status_event_unique_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.request_id} {self.from_status or '∅'} → {self.to_status}"


class ClearingDemographics(models.Model):
    """The student's demographic fields for a citation, arrest or use of force.

    Restricted: read only through `dispatch.selectors.demographics_get_for_user`, which checks
    the district's granted roles and writes an audit `view` entry.
    """

    event = models.OneToOneField(StatusEvent, on_delete=models.CASCADE, related_name="demographics")
    reason = models.CharField(max_length=500)
    race_ethnicity = models.CharField(max_length=40, choices=RaceEthnicity.choices)
    sex = models.CharField(max_length=20, choices=Sex.choices)
    disability_status = models.CharField(max_length=20, choices=DisabilityStatus.choices)
    english_learner = models.CharField(max_length=20, choices=EnglishLearner.choices)

    class Meta:
        verbose_name_plural = "clearing demographics"

    def __str__(self) -> str:
        return f"Demographics of clearing event {self.event_id}"


class DispatchEvent(models.Model):
    """One change shown on the live board. `id` is the sequence number clients resume from."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    request = models.ForeignKey(
        SupportRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    officer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    payload = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["id"]
        indexes: ClassVar = [models.Index(fields=["district", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} event {self.pk}"


class Alert(models.Model):
    """A supervisor alert on the live board: acknowledged, then resolved (by a supervisor, or
    by its request closing). Its board events carry `alert_id`."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        SupportRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    # The words in the site's default language; the reader's come from kind and params (`text`).
    message = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=AlertKind.choices, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=200, blank=True)
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.CharField(max_length=150, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True)
    resolution = models.CharField(max_length=20, choices=AlertResolution.choices, blank=True)

    class Meta:
        ordering: ClassVar = ["-raised_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["district", "resolved_at"])]

    def __str__(self) -> str:
        return f"Alert {self.pk}: {self.message[:60]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def text(self) -> str:
        """The alert in the active language (dispatch.alert_texts)."""
        return alert_text(kind=self.kind, params=self.params, fallback=self.message)

    @property
    def messages(self) -> dict[str, str]:
        """The alert in each of the site's languages (live events, notifications)."""
        return alert_messages(kind=self.kind, params=self.params, fallback=self.message)


class Integration(TimeStampedModel):
    """A panic-button or badge system that posts signed alarms to /api/intake/alerts."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(
        max_length=50, unique=True, help_text="Sent as X-Safeops-Integration by the system."
    )
    name = models.CharField(max_length=100)
    secret_sealed = models.TextField(help_text="The HMAC signing secret (sealed).")
    active = models.BooleanField(default=True)

    secret = sealed_property("secret_sealed", doc="The HMAC signing secret (plaintext).")

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class IntakeDevice(models.Model):
    """One badge or button of an integration, placed at a school (and a room)."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="devices")
    device_id = models.CharField(max_length=100)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    room = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["integration", "device_id"], name="intake_device_unique_per_integration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device_id} at {self.school}"


class IntakeEvent(models.Model):
    """One alarm received: the sender's event id is unique per integration (replays are one)."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(max_length=100)
    device = models.ForeignKey(IntakeDevice, on_delete=models.PROTECT, related_name="events")
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["integration", "event_id"], name="intake_event_unique_per_integration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.integration.key} event {self.event_id}"
