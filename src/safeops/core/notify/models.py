"""Notifications to a person, one receipt per channel attempt, and where to reach them.

The rows know users, never an app's records: a notification points back to what it is about
with `ref` (e.g. `dispatch.request:12`), and the district by its id.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PHONE_E164 = RegexValidator(
    r"^\+[1-9]\d{6,14}$",
    _("Enter the phone number in international form, e.g. +15025550123."),
)


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    PUSH = "push", _("Push to this browser")
    SMS = "sms", _("Text message")
    VOICE = "voice", _("Voice call")
    EMAIL = "email", _("E-mail")


class ReceiptStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class CloseReason(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    SUPERSEDED = "superseded", _("No longer needed")
    UNAVAILABLE = "unavailable", _("Not available (off duty)")


class ChannelPreference(models.Model):
    """How a person wants to be reached, and when not (quiet hours spare only P1 alerts)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference"
    )
    phone = models.CharField(max_length=16, blank=True, validators=[PHONE_E164])
    push = models.BooleanField(default=True)
    sms = models.BooleanField(default=True)
    voice = models.BooleanField(default=True)
    email = models.BooleanField(default=True)
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language alerts reach you in; blank: the site's language."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Channels of {self.user}"

    def allows(self, channel: str) -> bool:
        return bool(getattr(self, channel, True)) if channel != Channel.IN_APP else True


class PushSubscription(models.Model):
    """A browser's Web Push subscription (the endpoint and its keys, from PushManager)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Push subscription {self.pk} of {self.user}"


class Notification(models.Model):
    """One alert to one person, sent channel by channel along `steps` until acknowledged."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    district_id = models.BigIntegerField(null=True, blank=True)
    priority = models.CharField(max_length=2)
    title = models.CharField(max_length=120)
    body = models.CharField(max_length=300, blank=True)
    language = models.CharField(
        max_length=8, blank=True, help_text=_("The language of the title and body.")
    )
    link = models.CharField(max_length=300, blank=True)
    ref = models.CharField(max_length=80, db_index=True)
    steps = models.JSONField(default=list, help_text="[[channel, seconds after creation], ...]")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=12, choices=CloseReason.choices, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["user", "closed_at"])]

    def __str__(self) -> str:
        return f"{self.title} → {self.user}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Receipt(models.Model):
    """What became of one step of a notification on one channel."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="receipts"
    )
    step = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(
        max_length=12, choices=ReceiptStatus.choices, default=ReceiptStatus.QUEUED
    )
    detail = models.CharField(max_length=300, blank=True)
    provider_ref = models.CharField(max_length=64, blank=True, db_index=True)
    token = models.CharField(max_length=32, blank=True, db_index=True)
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["notification_id", "step"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["notification", "step"], name="receipt_one_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} ({self.notification_id}:{self.step})"
