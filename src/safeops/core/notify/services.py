"""Writes of the notification service: send, walk the channels, close, acknowledge, receipts.

A notification is sent step by step (`steps`: channel and seconds after creation) by the job
`notify.steps` (its work is in core.notify.steps), one queued job per notification (dedupe key
`notify:<id>`), so the chain survives a restart and a closed notification cancels its next
step. A step that fails or is skipped (no subscription, no phone, channel turned off) brings the
next one forward at once.
Nothing is sent to a person an availability predicate calls unavailable (off duty).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeops.core.audit import audit_write, snapshot
from safeops.core.jobs import job_cancel, job_enqueue
from safeops.core.models import AuditAction, Job, JobStatus
from safeops.core.notify import availability, calltree
from safeops.core.notify.config import Steps, steps_for
from safeops.core.notify.models import (
    Channel,
    ChannelPreference,
    CloseReason,
    Notification,
    PushSubscription,
    Receipt,
    ReceiptStatus,
)
from safeops.core.notify.providers import DELIVERED_STATUSES, FAILED_STATUSES
from safeops.core.notify.selectors import alert_language
from safeops.core.notify.words import Words, check_words, in_language

logger = logging.getLogger(__name__)

STEPS_JOB = "notify.steps"
CALL_TREE_JOB = "notify.call_tree"
PRIORITIES = ("p1", "p2", "p3")

NOT_YOURS = _("This notification is not addressed to you.")
NO_PUSH_SUBSCRIPTION = "no push subscription on this person's browsers"
NO_PHONE = "no phone number in this person's channels"
NO_EMAIL = "no e-mail address on this person's login"
TURNED_OFF = "the person turned this channel off"
QUIET_HOURS = "quiet hours (only P1 alerts go through)"


def steps_key(notification_id: int) -> str:
    return f"notify:{notification_id}"


def _call_tree_key(ref: str) -> str:
    return f"calltree:{ref}"


# --- Sending ---------------------------------------------------------------------------------


def notify_send(
    *,
    user_id: int,
    priority: str,
    title: Words,
    ref: str,
    body: Words = "",
    link: str = "",
    district_id: int | None = None,
    steps: Steps | None = None,
) -> Notification:
    """Queue an alert to one user, in the caller's transaction (it exists if the caller
    commits). Words given in every language (`words.every_language`) are kept in the
    person's. An unavailable person gets a closed notification and nothing is sent."""
    if priority not in PRIORITIES:
        message = gettext("Priority must be one of %(choices)s.")
        raise ValidationError({"priority": message % {"choices": ", ".join(PRIORITIES)}})
    if link and not link.startswith("/"):
        raise ValidationError(
            {"link": gettext("A notification links to a page of this site (a path).")}
        )
    check_words(title, field="title")
    check_words(body, field="body")
    worded = not (isinstance(title, str) and isinstance(body, str))
    language = alert_language(user_id=user_id) if worded else ""  # plain text: unknown
    plan = steps if steps is not None else steps_for(priority)
    with transaction.atomic(savepoint=False):
        notification = Notification(
            user_id=user_id,
            district_id=district_id,
            priority=priority,
            title=in_language(title, language)[:120],
            body=in_language(body, language)[:300],
            language=language,
            link=link,
            ref=ref[:80],
            steps=[[channel, seconds] for channel, seconds in plan],
        )
        if not availability.is_available(user_id):
            notification.closed_at = timezone.now()
            notification.close_reason = CloseReason.UNAVAILABLE
            notification.save()
            return notification
        notification.save()
        job_enqueue(
            kind=STEPS_JOB,
            payload={"notification_id": notification.pk},
            dedupe_key=steps_key(notification.pk),
            replace=False,
            max_attempts=5,
        )
    return notification


# --- Receipts from the channels --------------------------------------------------------------


def receipt_shown(*, token: str) -> bool:
    """The service worker showed the push notification: the push step is delivered."""
    if not token:
        return False
    return bool(
        Receipt.objects.filter(token=token, channel=Channel.PUSH, status=ReceiptStatus.SENT).update(
            status=ReceiptStatus.DELIVERED, delivered_at=timezone.now()
        )
    )


def receipt_provider_status(*, provider_ref: str, status: str, detail: str = "") -> Receipt | None:
    """A provider's status callback for a message or a call."""
    receipt = (
        Receipt.objects.filter(provider_ref=provider_ref).select_related("notification").first()
    )
    if receipt is None or receipt.status in (ReceiptStatus.ACKNOWLEDGED, ReceiptStatus.FAILED):
        return receipt
    now = timezone.now()
    if status in DELIVERED_STATUSES:
        receipt.status = ReceiptStatus.DELIVERED
        receipt.delivered_at = now
    elif status in FAILED_STATUSES:
        receipt.status = ReceiptStatus.FAILED
        receipt.failed_at = now
        receipt.detail = f"{status} {detail}".strip()[:300]
    else:
        return receipt  # queued, ringing, sending…: nothing new to record
    later_steps = receipt.step + 1 < len(receipt.notification.steps)
    with transaction.atomic():
        receipt.save(update_fields=["status", "delivered_at", "failed_at", "detail"])
        if receipt.status == ReceiptStatus.FAILED and later_steps:  # the next step comes now
            _bring_next_forward(receipt.notification_id)
    return receipt


def _bring_next_forward(notification_id: int) -> None:
    if Notification.objects.filter(pk=notification_id, closed_at__isnull=True).exists():
        job_enqueue(
            kind=STEPS_JOB,
            payload={"notification_id": notification_id},
            dedupe_key=steps_key(notification_id),
        )


# --- Closing and acknowledging ---------------------------------------------------------------


def close_notifications(ids: list[int], reason: str, *, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    fields: dict[str, Any] = {"closed_at": now, "close_reason": reason}
    if reason == CloseReason.ACKNOWLEDGED:
        fields["acknowledged_at"] = now
    count = Notification.objects.filter(pk__in=ids, closed_at__isnull=True).update(**fields)
    if reason == CloseReason.ACKNOWLEDGED:
        Receipt.objects.filter(
            notification_id__in=ids, status__in=[ReceiptStatus.SENT, ReceiptStatus.DELIVERED]
        ).update(status=ReceiptStatus.ACKNOWLEDGED, acknowledged_at=now)
    for notification_id in ids:
        job_cancel(dedupe_key=steps_key(notification_id))
    return count


def notify_close(
    *, ref: str, reason: str, user_id: int | None = None, with_children: bool = False
) -> int:
    """Close the open notifications about `ref` (and `ref:…` with `with_children`), for one
    user or all; their next steps are cancelled. Returns how many were open."""
    match = Q(ref=ref) | Q(ref__startswith=f"{ref}:") if with_children else Q(ref=ref)
    open_ = Notification.objects.filter(match, closed_at__isnull=True)
    if user_id is not None:
        open_ = open_.filter(user_id=user_id)
    with transaction.atomic():
        refs = set(open_.values_list("ref", flat=True))
        count = close_notifications(list(open_.values_list("pk", flat=True)), reason)
        if reason == CloseReason.ACKNOWLEDGED or user_id is None:
            for each in refs:
                job_cancel(dedupe_key=_call_tree_key(each))
    return count


def notification_acknowledge(*, notification_id: int, user: Any) -> Notification:
    """The person acknowledges the alert: it closes, and so does everyone else's copy of the
    same page (the call tree stops)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.user_id != user.pk:
            raise PermissionDenied(NOT_YOURS)
        if notification.acknowledged_at is None:
            close_notifications([notification.pk], CloseReason.ACKNOWLEDGED)
            others = Notification.objects.filter(ref=notification.ref, closed_at__isnull=True)
            close_notifications(list(others.values_list("pk", flat=True)), CloseReason.SUPERSEDED)
            job_cancel(dedupe_key=_call_tree_key(notification.ref))
        notification.refresh_from_db()
    return notification


def notification_opened(*, notification_id: int, user: Any) -> Notification:
    """The person opened the alert (from the push, the SMS link or the list)."""
    notification = Notification.objects.get(pk=notification_id)
    if notification.user_id != user.pk:
        raise PermissionDenied(NOT_YOURS)
    if notification.opened_at is None:
        Notification.objects.filter(pk=notification.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
        notification.refresh_from_db()
    return notification


# --- The call tree ---------------------------------------------------------------------------


def page_call_tree(
    *,
    district_id: int,
    title: Words,
    ref: str,
    body: Words = "",
    link: str = "",
    priority: str = "p1",
) -> bool:
    """Page the district's call tree: its first tier now, the next one after
    NOTIFY_CALL_TREE_STEP_SECONDS unless someone acknowledged. In the caller's transaction.
    Words in every language reach each person in theirs (the job keeps them all).
    A page about `ref` is sent once: paging it again does nothing (returns False)."""
    check_words(title, field="title")
    check_words(body, field="body")
    if (
        Notification.objects.filter(ref=ref).exists()
        or Job.objects.filter(dedupe_key=_call_tree_key(ref), status=JobStatus.QUEUED).exists()
    ):
        return False
    job_enqueue(
        kind=CALL_TREE_JOB,
        payload={
            "district_id": district_id,
            "tier": 0,
            "title": title,
            "body": body,
            "link": link,
            "ref": ref,
            "priority": priority,
        },
        dedupe_key=_call_tree_key(ref),
    )
    return True


def call_tree_page_tier(*, payload: dict[str, Any]) -> dict[str, Any]:
    """Page one tier (the job's work); a tier with nobody available passes to the next."""
    ref = str(payload["ref"])
    if Notification.objects.filter(ref=ref, acknowledged_at__isnull=False).exists():
        return {"acknowledged": True}
    tiers = calltree.tiers(int(payload["district_id"]))
    tier = int(payload["tier"])
    with transaction.atomic():
        while tier < len(tiers):
            paged = [
                notify_send(
                    user_id=user_id,
                    priority=str(payload["priority"]),
                    title=payload["title"],
                    body=payload["body"],
                    link=str(payload["link"]),
                    ref=ref,
                    district_id=int(payload["district_id"]),
                )
                for user_id in tiers[tier]
            ]
            if any(n.is_open for n in paged):
                if tier + 1 < len(tiers):
                    job_enqueue(
                        kind=CALL_TREE_JOB,
                        payload={**payload, "tier": tier + 1},
                        run_after=timezone.now()
                        + dt.timedelta(seconds=int(settings.NOTIFY_CALL_TREE_STEP_SECONDS)),
                        dedupe_key=_call_tree_key(ref),
                    )
                return {"tier": tier, "paged": [n.user_id for n in paged if n.is_open]}
            tier += 1
    logger.error("Call tree of district %s: nobody available for %s", payload["district_id"], ref)
    return {"tier": tier, "paged": []}


# --- The person's channels -------------------------------------------------------------------


def preference_update(*, user: Any, **fields: Any) -> ChannelPreference:
    """The person's channels and quiet hours (validated, audited)."""
    with transaction.atomic():
        preference, created = ChannelPreference.objects.select_for_update().get_or_create(user=user)
        before = None if created else snapshot(preference)
        for name, value in fields.items():
            setattr(preference, name, value)
        preference.full_clean()
        preference.save()
        audit_write(
            actor=user,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=preference,
            before=before,
        )
    return preference


def push_subscribe(
    *, user: Any, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Keep this browser's subscription for the user (a browser moves to its new owner)."""
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:200]},
    )
    subscription.full_clean()
    return subscription


def push_unsubscribe(*, user: Any, endpoint: str) -> int:
    return int(PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0])
