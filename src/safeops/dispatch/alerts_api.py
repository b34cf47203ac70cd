"""Board alerts through the JSON API, for dispatchers and the security chief
(/api/board/alerts): the open ones, acknowledge, resolve — the board's own services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from safeops.core.inputs import READ_ERRORS, WRITE_ERRORS, ErrorOut, Id, error_body
from safeops.dispatch.models import Alert
from safeops.dispatch.selectors import board_alerts_for_user
from safeops.dispatch.services import alert_acknowledge, alert_resolve
from safeops.dispatch.services.alerts import alert_payload

board_alerts_router = Router(tags=["dispatch: board alerts"])


class BoardAlertOut(Schema):
    id: int
    message: str = Field(description="The alert in the caller's language.")
    messages: dict[str, str] = Field(
        description="The alert in each of the site's languages (language code → words)."
    )
    kind: str = Field(description="What the alert says (blank: free text).")
    link: str
    request_id: int | None
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str
    resolved_at: dt.datetime | None
    resolved_by: str
    resolution: str
    open: bool


@board_alerts_router.get("", response={200: list[BoardAlertOut]} | READ_ERRORS)
def board_alerts_api(request: HttpRequest) -> list[dict[str, Any]]:
    """The open alerts of the caller's board, oldest first (as the board shows them)."""
    return [alert_payload(alert) for alert in board_alerts_for_user(user=request.user)]


def _change(request: HttpRequest, alert_id: int, action: str) -> Any:
    change = alert_acknowledge if action == "acknowledge" else alert_resolve
    board_alerts_for_user(user=request.user)  # the board's access check
    try:
        alert = change(alert_id=alert_id, actor=request.user)
    except Alert.DoesNotExist as error:
        raise Http404(gettext("No such alert.")) from error
    except ValidationError as error:
        return Status(409, error_body(" ".join(error.messages)))
    return alert_payload(alert)


@board_alerts_router.post(
    "/{alert_id}/acknowledge", response={200: BoardAlertOut, 409: ErrorOut} | WRITE_ERRORS
)
def board_alert_acknowledge_api(request: HttpRequest, alert_id: Id) -> Any:
    """A supervisor saw the alert (acknowledging twice keeps the first)."""
    return _change(request, alert_id, "acknowledge")


@board_alerts_router.post(
    "/{alert_id}/resolve", response={200: BoardAlertOut, 409: ErrorOut} | WRITE_ERRORS
)
def board_alert_resolve_api(request: HttpRequest, alert_id: Id) -> Any:
    """Dismiss the alert from every board (409 when it was resolved already)."""
    return _change(request, alert_id, "resolve")
