"""My alerts through the JSON API: the open ones, and acknowledging one (/api/alerts).

An officer's phone or an integration acknowledges a page here with the person's token; it is
the same service as the My alerts page: the alert closes, every pending escalation step of it is
cancelled, and everyone else's copy of the same page closes (the call tree stops).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from safeops.core.inputs import READ_ERRORS, WRITE_ERRORS, Id
from safeops.core.notify import selectors, services
from safeops.core.notify.models import Notification

router = Router(tags=["alerts"])


class MyAlertOut(Schema):
    id: int
    priority: str
    title: str
    body: str
    language: str = Field(description="The language of title and body (blank: not known).")
    link: str = Field(description="The page of this site the alert is about (a path).")
    ref: str = Field(description="What the alert is about, e.g. dispatch.request:12.")
    created_at: dt.datetime
    opened_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    closed_at: dt.datetime | None
    close_reason: str
    open: bool


def _out(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "priority": notification.priority,
        "title": notification.title,
        "body": notification.body,
        "language": notification.language,
        "link": notification.link,
        "ref": notification.ref,
        "created_at": notification.created_at,
        "opened_at": notification.opened_at,
        "acknowledged_at": notification.acknowledged_at,
        "closed_at": notification.closed_at,
        "close_reason": notification.close_reason,
        "open": notification.is_open,
    }


@router.get("/mine", response={200: list[MyAlertOut]} | READ_ERRORS)
def my_alerts_api(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's open alerts, newest first."""
    return [_out(n) for n in selectors.open_notifications_for_user(user=request.user)]


@router.post("/{notification_id}/acknowledge", response={200: MyAlertOut} | WRITE_ERRORS)
def my_alert_acknowledge_api(request: HttpRequest, notification_id: Id) -> dict[str, Any]:
    """Acknowledge one of the caller's alerts (again: the first acknowledgement stands)."""
    try:
        notification = services.notification_acknowledge(
            notification_id=notification_id, user=request.user
        )
    except (Notification.DoesNotExist, PermissionDenied) as error:
        raise Http404(gettext("You have no such alert.")) from error
    return _out(notification)
