"""Reads of the notification service: a person's open alerts, the receipts of an alert."""

from __future__ import annotations

from collections.abc import Iterable
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


def alert_languages(*, user_ids: Iterable[int | None]) -> dict[int | None, str]:
    """The language each person reads alerts in (their channels page), else the site's; in one
    query. No login (None) reads the site's language."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    chosen = dict(
        ChannelPreference.objects.filter(user_id__in=ids)
        .exclude(language="")
        .values_list("user_id", "language")
    )
    default = default_language()
    languages: dict[int | None, str] = {user_id: chosen.get(user_id, default) for user_id in ids}
    languages[None] = default
    return languages


def alert_language(*, user_id: int | None) -> str:
    """One person's alert language (no login, None: the site's)."""
    return alert_languages(user_ids=[user_id])[user_id]


def addresses_by_alert_language(
    recipients: Iterable[tuple[int | None, str]],
) -> dict[str, list[str]]:
    """E-mail addresses grouped by the language their people read alerts in, from (user id or
    None, address) pairs: one e-mail per language."""
    recipients = [(user_id, address) for user_id, address in recipients if address]
    languages = alert_languages(user_ids=[user_id for user_id, _address in recipients])
    grouped: dict[str, set[str]] = {}
    for user_id, address in recipients:
        grouped.setdefault(languages[user_id], set()).add(address)
    return {language: sorted(addresses) for language, addresses in sorted(grouped.items())}


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
