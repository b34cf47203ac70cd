"""Supervisor alerts on the live board: raised, acknowledged, resolved.

Every alert goes through `alert_raise` (escalation, tips, panic/badge intake). An alert about a
request resolves itself when the request closes (`alerts_resolve_for_request`, called by the
closing transition in the same transaction), so the board never keeps warning about a call
that is over. Each change is a board event of kind `alert` carrying the alert's state.

Delivery beyond the board (push, SMS) has one call site: `deliver_alert`, run after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeops.access import current_filter
from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.models import AuditAction
from safeops.core.notify.services import notify_send
from safeops.dispatch import live
from safeops.dispatch.alert_texts import ALERT_TEXTS, alert_default_text
from safeops.dispatch.choices import AlertKind, AlertResolution, EventKind, Source
from safeops.dispatch.models import Alert, SupportRequest
from safeops.dispatch.serialize import request_payload
from safeops.dispatch.services.common import actor_label, is_supervisor, viewer_of
from safeops.dispatch.services.events import record_event
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person

MAY_NOT_HANDLE_ALERT = _("Only dispatchers and the security chief acknowledge or resolve alerts.")
ALERT_RESOLVED_ALREADY = _("This alert was already resolved.")
NEED_A_MESSAGE = _("An alert needs a message.")
UNKNOWN_ALERT_KIND = _("Unknown alert kind.")
ALERT_PARAMS_MISSING = _("The alert's words need the parameter {name}.")
LINK_NOT_A_PATH = _("An alert links to a page of this site (a path).")


def alert_payload(alert: Alert) -> dict[str, Any]:
    """The alert as the board shows it (also the `alert` of its board events): `message` in the
    active language, `messages` in each of the site's (a live event's readers read any)."""
    return {
        "id": alert.pk,
        "message": alert.text,
        "messages": alert.messages,
        "kind": alert.kind,
        "link": alert.link,
        "request_id": alert.request_id,
        "raised_at": alert.raised_at.isoformat(),
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
        "acknowledged_by": alert.acknowledged_by,
        "resolved_at": alert.resolved_at.isoformat() if alert.resolved_at else None,
        "resolved_by": alert.resolved_by,
        "resolution": alert.resolution,
        "open": alert.is_open,
    }


def alert_recipients(*, request: SupportRequest) -> list[Person]:
    """Who hears of a request's alert besides the board: the school's Safety Administrators
    and the zone's officers (current assignments)."""
    today = timezone.localdate()
    place = []
    if request.school_id is not None:
        place.append(
            Assignment.objects.filter(
                current_filter(today),
                school_id=request.school_id,
                person__role=Role.SAFETY_ADMINISTRATOR,
            )
        )
    if request.zone_id is not None:
        place.append(
            Assignment.objects.filter(
                current_filter(today), zone_id=request.zone_id, person__role=Role.SSO
            )
        )
    person_ids = {pid for rows in place for pid in rows.values_list("person_id", flat=True)}
    return list(Person.objects.filter(pk__in=person_ids).order_by("pk"))


def deliver_alert(*, alert_id: int) -> None:
    """After commit: hand the alert to the channels beyond the board (the single call site for
        push/SMS notifications, core.notify): the recipients' live officer feeds, and for a panic or
    badge alarm a notification (push → SMS → voice) to each of them."""
    alert = Alert.objects.select_related("request").filter(pk=alert_id).first()
    if alert is None or alert.request is None:
        return
    recipients = alert_recipients(request=alert.request)
    groups = [live.officer_group(p.pk) for p in recipients if p.role == Role.SSO]
    live.publish(
        groups=groups,
        event={"kind": EventKind.ALERT.value, "alert": alert_payload(alert)},
    )
    if alert.request.source != Source.INTAKE:
        return  # escalations page supervisors through the call tree (dispatch.alerts)
    # A panic or badge alarm: push, then SMS and voice, to the school's SAs and zone officers.
    with transaction.atomic():
        for person in recipients:
            if person.user_id is None:
                continue
            notify_send(
                user_id=person.user_id,
                priority=alert.request.priority,
                title=alert.messages,  # in each person's language
                link=f"/dispatch/requests/{alert.request.pk}/",
                ref=f"alert:{alert.pk}",
                district_id=alert.district_id,
            )


def alert_raise(
    *,
    district_id: int,
    kind: str = AlertKind.TEXT,
    params: dict[str, Any] | None = None,
    message: str = "",
    request: SupportRequest | None = None,
    link: str = "",
) -> Alert:
    """Put an alert on the live board (and the request's page): worded by `kind` and `params`
    in each reader's language (dispatch.alert_texts), or free text in `message`. It carries no
    confidential narrative; `link` is a same-site path."""
    params = dict(params or {})
    if kind:
        if kind not in ALERT_TEXTS:
            raise ValidationError({"kind": UNKNOWN_ALERT_KIND})
        try:
            message = alert_default_text(kind=kind, params=params)
        except KeyError as missing:
            raise ValidationError(
                {"params": ALERT_PARAMS_MISSING.format(name=missing.args[0])}
            ) from None
    message = message.strip()
    if not message:
        raise ValidationError({"message": NEED_A_MESSAGE})
    if link and not link.startswith("/"):
        raise ValidationError({"link": LINK_NOT_A_PATH})
    now = timezone.now()
    with transaction.atomic():
        alert = Alert.objects.create(
            district_id=district_id,
            request=request,
            message=message[:500],
            kind=kind,
            params=params,
            link=link,
            raised_at=now,
        )
        _publish(alert, now)
        transaction.on_commit(lambda: deliver_alert(alert_id=alert.pk))
    return alert


def alert_acknowledge(*, alert_id: int, actor: Actor) -> Alert:
    """A supervisor saw the alert (acknowledging twice keeps the first)."""
    with transaction.atomic():
        alert = _locked_for(alert_id, actor)
        if alert.acknowledged_at is not None or alert.resolved_at is not None:
            return alert
        before = snapshot(alert)
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor_label(actor)[1][:150]
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_write(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=alert,
            before=before,
            note="alert acknowledged",
        )
        _publish(alert, alert.acknowledged_at)
    return alert


def alert_resolve(*, alert_id: int, actor: Actor) -> Alert:
    """A supervisor dismisses the alert: it leaves every board."""
    with transaction.atomic():
        alert = _locked_for(alert_id, actor)
        if alert.resolved_at is not None:
            raise ValidationError({"alert": ALERT_RESOLVED_ALREADY})
        _resolve(alert, actor, AlertResolution.RESOLVED, timezone.now())
    return alert


def alerts_resolve_for_request(*, request: SupportRequest, actor: Actor, now: dt.datetime) -> int:
    """The request closed: its open alerts resolve (inside the closing transaction)."""
    alerts = list(
        Alert.objects.select_for_update().filter(request=request, resolved_at__isnull=True)
    )
    for alert in alerts:
        _resolve(alert, actor, AlertResolution.REQUEST_CLOSED, now)
    return len(alerts)


def _locked_for(alert_id: int, actor: Actor) -> Alert:
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise Alert.DoesNotExist(f"No alert {alert_id}.")
    viewer = viewer_of(actor)
    if viewer is not None and not (
        is_supervisor(viewer) and (viewer.is_superuser or viewer.district_id == alert.district_id)
    ):
        raise PermissionDenied(MAY_NOT_HANDLE_ALERT)
    return alert


def _resolve(alert: Alert, actor: Actor, resolution: AlertResolution, now: dt.datetime) -> None:
    before = snapshot(alert)
    alert.resolved_at = now
    alert.resolved_by = actor_label(actor)[1][:150]
    alert.resolution = resolution
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=alert,
        before=before,
        note=f"alert {resolution.value}",
    )
    _publish(alert, now)


def _publish(alert: Alert, now: dt.datetime) -> None:
    groups = [live.board_group(alert.district_id)]
    payload: dict[str, Any] = {"alert": alert_payload(alert), "message": alert.message}
    if alert.link:
        payload["link"] = alert.link
    if alert.request is not None:
        groups.append(live.request_group(alert.request.pk))
        payload["request"] = request_payload(alert.request)
    record_event(
        district_id=alert.district_id,
        kind=EventKind.ALERT,
        request=alert.request,
        officer_id=alert.request.officer_id if alert.request is not None else None,
        payload=payload,
        groups=groups,
        now=now,
    )
