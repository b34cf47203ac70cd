"""The steps job's work: send the due steps of many notifications at once.

The job workers take up to NOTIFY_STEPS_BATCH due `notify.steps` jobs in one claim
(core.jobs.job_batch_handler), so a surge of alerts costs a few queries per batch, not a dozen
per alert: the notifications, their receipts, the people's channels, their push subscriptions
and who is off duty are read in bulk, each round's receipts written in bulk. The network part
of every push, text and call of a round runs at once on a pool of NOTIFY_SEND_THREADS threads
(they wait on the push service or the provider, not on the processor); the threads never touch
the database. A step that fails or is skipped brings the next one forward in the same run.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from safeops.core.jobs import job_enqueue_many
from safeops.core.notify import availability
from safeops.core.notify.models import (
    Channel,
    ChannelPreference,
    CloseReason,
    Notification,
    PushSubscription,
    Receipt,
    ReceiptStatus,
)
from safeops.core.notify.providers import ProviderError, provider
from safeops.core.notify.push import PushAttempt, push_outcome, push_record, push_send
from safeops.core.notify.services import (
    NO_EMAIL,
    NO_PHONE,
    NO_PUSH_SUBSCRIPTION,
    QUIET_HOURS,
    STEPS_JOB,
    TURNED_OFF,
    close_notifications,
    steps_key,
)

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _send_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=int(settings.NOTIFY_SEND_THREADS), thread_name_prefix="safeops-send"
            )
        return _pool


@dataclass
class _Step:
    """One due step of one notification in this run, and the network work it needs."""

    notification: Notification
    receipt: Receipt
    send: Callable[[], None] | None = None
    pushes: list[PushAttempt] = field(default_factory=list)


def notifications_run_steps(
    *, notification_ids: list[int], now: dt.datetime | None = None
) -> dict[int, dict[str, Any]]:
    """Send the due steps of these notifications (the batch job's work), each next step
    queued. Returns a summary per notification id."""
    results: dict[int, dict[str, Any]] = {pk: {"done": True} for pk in notification_ids}
    found = Notification.objects.filter(pk__in=notification_ids, closed_at__isnull=True)
    notifications = list(found.select_related("user"))
    off = availability.unavailable_among({n.user_id for n in notifications})
    if off:
        close_notifications(
            [n.pk for n in notifications if n.user_id in off], CloseReason.UNAVAILABLE
        )
        for n in notifications:
            if n.user_id in off:
                results[n.pk] = {"done": True, "unavailable": True}
        notifications = [n for n in notifications if n.user_id not in off]
    if not notifications:
        return results
    receipts = {
        (r.notification_id, r.step): r
        for r in Receipt.objects.filter(notification__in=notifications)
    }
    users = {n.user_id for n in notifications}
    preferences = {p.user_id: p for p in ChannelPreference.objects.filter(user_id__in=users)}
    subscriptions: dict[int, list[PushSubscription]] = defaultdict(list)
    if any(channel == Channel.PUSH for n in notifications for channel, _ in n.steps):
        for subscription in PushSubscription.objects.filter(user_id__in=users):
            subscriptions[subscription.user_id].append(subscription)
    pending = notifications
    later: list[tuple[dict[str, Any], dt.datetime, str]] = []
    while pending:
        due = _due_steps(pending, receipts, results, now, later)
        if not due:
            break
        still_open = set(
            Notification.objects.filter(
                pk__in=[n.pk for n, _ in due], closed_at__isnull=True
            ).values_list("pk", flat=True)
        )
        steps: list[_Step] = []
        for notification, index in due:
            if notification.pk not in still_open:
                results[notification.pk] = {"done": True, "closed": True}
                continue
            receipt = receipts.get((notification.pk, index)) or _new_receipt(
                notification, index, now
            )
            steps.append(_Step(notification, receipt))
        Receipt.objects.bulk_create([s.receipt for s in steps if s.receipt.pk is None])
        for step in steps:
            receipts[(step.notification.pk, step.receipt.step)] = step.receipt
            preference = preferences.get(step.notification.user_id) or ChannelPreference(
                user_id=step.notification.user_id
            )
            _plan(step, preference, subscriptions[step.notification.user_id])
        _run_sends(steps)
        push_record([attempt for step in steps for attempt in step.pushes])
        _save_receipts([s.receipt for s in steps])
        pending = [s.notification for s in steps]
    job_enqueue_many(kind=STEPS_JOB, jobs=later)
    return results


def _save_receipts(receipts: list[Receipt]) -> None:
    """Write the round's outcomes: one UPDATE per distinct outcome (a surge's pushes mostly
    end alike), stamped with the time the round's sends were done."""
    now = timezone.now()
    alike: dict[tuple[str, str, str], list[Receipt]] = defaultdict(list)
    for receipt in receipts:
        alike[(receipt.status, receipt.detail, receipt.provider_ref)].append(receipt)
    for (status, detail, provider_ref), group in alike.items():
        stamp = "sent_at" if status == ReceiptStatus.SENT else "failed_at"
        for receipt in group:
            setattr(receipt, stamp, now)
        Receipt.objects.filter(pk__in=[r.pk for r in group]).update(
            status=status, detail=detail, provider_ref=provider_ref, **{stamp: now}
        )


def _due_steps(
    pending: list[Notification],
    receipts: dict[tuple[int, int], Receipt],
    results: dict[int, dict[str, Any]],
    now: dt.datetime | None,
    later: list[tuple[dict[str, Any], dt.datetime, str]],
) -> list[tuple[Notification, int]]:
    """Each notification's next step to send now; those not due yet go on `later` (a job
    each, queued when the run ends)."""
    due: list[tuple[Notification, int]] = []
    for notification in pending:
        previous_failed = False
        for index, (_channel, seconds) in enumerate(notification.steps):
            receipt = receipts.get((notification.pk, index))
            if receipt is not None and receipt.status != ReceiptStatus.QUEUED:
                previous_failed = receipt.status in (ReceiptStatus.FAILED, ReceiptStatus.SKIPPED)
                continue
            due_at = notification.created_at + dt.timedelta(seconds=int(seconds))
            if due_at > (now or timezone.now()) and not previous_failed:
                later.append(
                    ({"notification_id": notification.pk}, due_at, steps_key(notification.pk))
                )
                # The next job's run_after says when: the results of a batch stay alike.
                results[notification.pk] = {"done": False, "next_step": index}
            else:
                due.append((notification, index))
            break
        else:
            results[notification.pk] = {"done": True}
    return due


def _new_receipt(notification: Notification, index: int, now: dt.datetime | None) -> Receipt:
    return Receipt(
        notification=notification,
        step=index,
        channel=notification.steps[index][0],
        queued_at=now or timezone.now(),
        token=secrets.token_urlsafe(16)[:22],
    )


def _run_sends(steps: list[_Step]) -> None:
    sends = [step.send for step in steps if step.send is not None]
    if len(sends) == 1:
        sends[0]()
    elif sends:
        for future in [_send_pool().submit(send) for send in sends]:
            future.result()


def _skip(receipt: Receipt, reason: str, *, failed: bool = False) -> None:
    receipt.status = ReceiptStatus.FAILED if failed else ReceiptStatus.SKIPPED
    receipt.detail = reason[:300]


def _sent(receipt: Receipt, *, detail: str = "", provider_ref: str = "") -> None:
    receipt.status = ReceiptStatus.SENT
    receipt.detail = detail[:300]
    receipt.provider_ref = provider_ref[:64]


def in_quiet_hours(preference: ChannelPreference, moment: dt.datetime) -> bool:
    start, end = preference.quiet_from, preference.quiet_until
    if start is None or end is None or start == end:
        return False
    local = timezone.localtime(moment).time()
    return start <= local < end if start < end else (local >= start or local < end)


def _plan(
    step: _Step, preference: ChannelPreference, subscriptions: list[PushSubscription]
) -> None:
    """Decide the step: settled now (in the app, turned off, quiet hours, nowhere to send), or
    its network work set on `step.send` for the pool."""
    notification, receipt = step.notification, step.receipt
    channel = receipt.channel
    if channel == Channel.IN_APP:  # the person's list of open alerts (/notify/)
        _sent(receipt, detail="in the person's open alerts")
    elif not preference.allows(channel):
        _skip(receipt, TURNED_OFF)
    elif notification.priority != "p1" and in_quiet_hours(preference, receipt.queued_at):
        _skip(receipt, QUIET_HOURS)
    elif channel == Channel.PUSH:
        _plan_push(step, subscriptions)
    elif channel in (Channel.SMS, Channel.VOICE):
        _plan_phone(step, preference.phone)
    elif channel == Channel.EMAIL:
        _deliver_email(notification, receipt)


def _absolute(path: str) -> str:
    return f"{settings.NOTIFY_PUBLIC_URL.rstrip('/')}{path}" if settings.NOTIFY_PUBLIC_URL else ""


def _plan_push(step: _Step, subscriptions: list[PushSubscription]) -> None:
    receipt = step.receipt
    if not settings.VAPID_PRIVATE_KEY:
        _skip(receipt, "push refused: VAPID_PRIVATE_KEY is not set", failed=True)
        return
    if not subscriptions:
        _skip(receipt, NO_PUSH_SUBSCRIPTION, failed=True)
        return
    urgent = step.notification.priority == "p1"
    data = json.dumps(push_payload(step.notification, receipt))

    def send() -> None:
        step.pushes = [
            push_send(s, data, ttl=600 if urgent else 3600, urgent=urgent) for s in subscriptions
        ]
        outcome = push_outcome(step.pushes)
        if outcome.sent:
            _sent(receipt, detail=f"{outcome.sent} browser(s)" + _failures(outcome.failed))
        else:
            _skip(receipt, "push refused: " + "; ".join(outcome.failed), failed=True)

    step.send = send


def push_payload(notification: Notification, receipt: Receipt) -> dict[str, str]:
    """What the service worker receives: the text to show, where a click goes, and where to
    report it shown (the receipt's unguessable token)."""
    return {
        "title": notification.title,
        "body": notification.body,
        "priority": notification.priority,
        "lang": notification.language,
        "tag": notification.ref,
        "url": reverse("notify-open", args=[notification.pk]),
        "shown": reverse("notify-receipt-shown", args=[receipt.token]),
    }


def _failures(failed: list[str]) -> str:
    return f"; {len(failed)} refused ({'; '.join(failed)})" if failed else ""


def _plan_phone(step: _Step, phone: str) -> None:
    notification, receipt = step.notification, step.receipt
    if not phone:
        _skip(receipt, NO_PHONE, failed=True)
        return
    callback = _absolute(reverse("notify-provider-callback"))
    text = f"{notification.title}. {notification.body}".strip()
    link = _absolute(reverse("notify-open", args=[notification.pk]))
    backend = provider()

    def send() -> None:
        try:
            if receipt.channel == Channel.SMS:
                ref = backend.send_sms(
                    to=phone, body=f"{text} {link}".strip(), callback_url=callback
                )
            else:
                ref = backend.call(
                    to=phone, say=text, callback_url=callback, language=notification.language
                )
        except ProviderError as error:
            _skip(receipt, str(error), failed=True)
            return
        _sent(receipt, provider_ref=ref)

    step.send = send


def _deliver_email(notification: Notification, receipt: Receipt) -> None:
    from django.core.mail import send_mail  # noqa: PLC0415 - only this step sends mail

    address = getattr(notification.user, "email", "")
    if not address:
        _skip(receipt, NO_EMAIL, failed=True)
        return
    link = _absolute(reverse("notify-open", args=[notification.pk]))
    send_mail(notification.title, f"{notification.body}\n\n{link}".strip(), None, [address])
    _sent(receipt, detail=address)
