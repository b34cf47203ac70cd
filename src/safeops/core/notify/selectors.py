"""Reads of the notification service: a person's open alerts, the receipts of an alert."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from safeops.core.notify.models import ChannelPreference, Notification, PushSubscription, Receipt
from safeops.core.notify.words import default_language


def open_notifications_for_user(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, closed_at__isnull=True)


def recent_notifications_for_user(*, user: Any, limit: int = 20) -> list[Notification]:
    return list(Notification.objects.filter(user=user, closed_at__isnull=False)[:limit])


def preference_for_user(*, user: Any) -> ChannelPreference:
    return ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)


def alert_language(*, user_id: int) -> str:
    """The language the person reads alerts in (their channels page), else the site's."""
    chosen = (
        ChannelPreference.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    )
    return chosen or default_language()


def push_subscription_count(*, user: Any) -> int:
    return PushSubscription.objects.filter(user=user).count()


def notifications_for_ref(*, ref: str) -> list[Notification]:
    """Every alert sent about `ref` (and `ref:…`), with its receipts, oldest first. The caller
    has checked that the viewer may see the record `ref` names."""
    return list(
        Notification.objects.filter(Q(ref=ref) | Q(ref__startswith=f"{ref}:"))
        .select_related("user")
        .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.order_by("step")))
        .order_by("created_at", "id")
    )
