"""The training and certification ledger.

Catalog and rules (data the coordinator edits without code):
- `TrainingPolicy`: a district's training-year start month, grace period and reminder days.
- `Topic` (with the kind of hours it gives) and `Course` (topic, hours, provider, delivery).
- `Requirement`: hours of one kind a role needs, from a training year on; `RequiredTopic`
  rows are the topics that role must cover in the year.
- `CertificationType`, `RoleCertification` (which role needs which certification), and
  `CarryOverRule` (how many excess hours may move into the next year).

Records: `Completion`, `Certification`, `CertificateFile` (the uploaded proof), and
`TrainingReminder` (one row per reminder sent, so each goes out once).
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeops.core.models import StoredUpload, TimeStampedModel
from safeops.schools.models import District
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.training.engine import Credit

HOURS_RANGE = _("Hours must be between 0.25 and 200.")
OTHER_DISTRICT = _("{what} belongs to another district.")
ONE_PARENT = _("A certificate file belongs to one completion or one certification.")
CREDIT_CHOICES = [
    (Credit.DISTRICT.value, _("District training")),
    (Credit.STATE.value, _("State SRO/POPS in-service")),
]


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online, instructor-led")
    SELF_PACED = "self_paced", _("Online, self-paced")
    HYBRID = "hybrid", _("Hybrid")


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the training coordinator")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class RecordSource(models.TextChoices):
    SELF = "self", _("Entered by the person")
    COORDINATOR = "coordinator", _("Entered by the training office")
    LMS = "lms", _("LMS import")


def _hours_field(**kwargs: object) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal(200))],
        **kwargs,  # type: ignore[arg-type]
    )


class TrainingPolicy(TimeStampedModel):
    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="training_policy"
    )
    year_start_month = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="First month of the training year (7: July–June).",
    )
    lapse_grace_days = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(365)],
        help_text="Days after the training year ends before unmet SRO hours lapse an officer.",
    )
    topic_reminder_days = models.PositiveSmallIntegerField(
        default=14, help_text="Remind this many days before a required topic is due."
    )

    class Meta:
        verbose_name_plural = "training policies"

    def __str__(self) -> str:
        return f"Training policy of {self.district}"


class Topic(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    credit = models.CharField(
        max_length=10,
        choices=CREDIT_CHOICES,
        default=Credit.DISTRICT.value,
    )
    source = models.CharField(max_length=200, blank=True, help_text="Why it is required.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "code"], name="training_topic_code")
        ]

    def __str__(self) -> str:
        return self.name


class Course(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    title = models.CharField(max_length=150)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="courses")
    hours = _hours_field()
    provider = models.CharField(max_length=120)
    delivery_mode = models.CharField(
        max_length=12, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["title"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "code"], name="training_course_code")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.topic_id and self.district_id and self.topic.district_id != self.district_id:
            raise ValidationError({"topic": OTHER_DISTRICT.format(what=_("The topic"))})


class Requirement(TimeStampedModel):
    """`hours` of `credit` for `role`, from training year `from_year` until a later row."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=40, choices=Role.choices)
    from_year = models.PositiveSmallIntegerField(
        help_text="First training year it applies to, by its start year (2026: 2026-27)."
    )
    credit = models.CharField(max_length=10, choices=CREDIT_CHOICES)
    name = models.CharField(max_length=80, help_text="e.g. District training")
    hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    lapse_when_unmet = models.BooleanField(
        default=False,
        help_text="An unmet year suspends the person (KRS 158.4414: SRO training).",
    )
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["role", "-from_year", "credit"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["district", "role", "from_year", "credit"], name="training_req_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name} {self.hours} h from {self.from_year}"


class RequiredTopic(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    min_hours = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="0: any completion of the topic in the year.",
    )
    due_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )

    class Meta:
        ordering: ClassVar = ["topic__name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["requirement", "topic"], name="training_reqtopic")
        ]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.topic}"

    def clean(self) -> None:
        if (
            self.requirement_id
            and self.topic_id
            and self.topic.district_id != self.requirement.district_id
        ):
            raise ValidationError({"topic": OTHER_DISTRICT.format(what=_("The topic"))})


class CertificationType(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    issuer = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "code"], name="training_certtype_code")
        ]

    def __str__(self) -> str:
        return self.name


class RoleCertification(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=40, choices=Role.choices)
    certification_type = models.ForeignKey(
        CertificationType, on_delete=models.CASCADE, related_name="+"
    )
    lapse_when_invalid = models.BooleanField(
        default=False, help_text="Missing or expired suspends the person."
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["district", "role", "certification_type"], name="training_rolecert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.certification_type}"


class CarryOverRule(models.Model):
    """Up to `max_hours` of `credit` earned beyond a year's requirement count in the next."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(
        max_length=40, choices=Role.choices, blank=True, help_text="Blank: every role."
    )
    credit = models.CharField(max_length=10, choices=CREDIT_CHOICES)
    max_hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    def __str__(self) -> str:
        return f"Carry up to {self.max_hours} h of {self.credit} ({self.role or 'every role'})"


class Completion(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=150)
    provider = models.CharField(max_length=120, blank=True)
    hours = _hours_field()
    completed_on = models.DateField()
    counts_for_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Make-up hours: the earlier training year (start year) they count for.",
    )
    source = models.CharField(max_length=12, choices=RecordSource.choices)
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    lms_id = models.CharField(max_length=80, blank=True, help_text="The LMS's completion id.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-completed_on", "-id"]
        indexes: ClassVar = [models.Index(fields=["person", "status", "completed_on"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person", "lms_id"],
                condition=~models.Q(lms_id=""),
                name="training_completion_lms_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.hours} h, {self.completed_on}"

    def clean(self) -> None:
        if self.topic_id and self.person_id and self.topic.district_id != self.person.district_id:
            raise ValidationError({"topic": OTHER_DISTRICT.format(what=_("The topic"))})


class Certification(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    certification_type = models.ForeignKey(
        CertificationType, on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(max_length=60, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=12, choices=RecordSource.choices)
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-expires_on", "-id"]

    def __str__(self) -> str:
        until = f" until {self.expires_on}" if self.expires_on else ""
        return f"{self.certification_type}{until}"

    def clean(self) -> None:
        if self.expires_on and self.issued_on and self.expires_on <= self.issued_on:
            raise ValidationError(
                {"expires_on": gettext("The expiry date must be after the issue date.")}
            )


def certificate_path(instance: CertificateFile, filename: str) -> str:
    return f"training/{instance.person_id}/{instance.digest[:16]}"


class CertificateFile(StoredUpload):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    completion = models.ForeignKey(
        Completion, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    certification = models.ForeignKey(
        Certification, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    title = models.CharField(max_length=150)
    file = models.FileField(upload_to=certificate_path)

    class Meta:
        ordering: ClassVar = ["-uploaded_at"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    models.Q(completion__isnull=False) & models.Q(certification__isnull=True)
                )
                | (models.Q(completion__isnull=True) & models.Q(certification__isnull=False)),
                name="training_file_one_parent",
            )
        ]

    def __str__(self) -> str:
        return self.title


class TrainingReminder(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    sent_on = models.DateField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "key"], name="training_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.key}"
