"""POST /api/intake/alerts: signed panic/badge alarms (docs/dispatch.md "Intake").

The signature is checked as the operation's authentication, before the body is parsed, so an
unsigned or mis-signed call gets a 401 whatever it sends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader

from safeops.core.inputs import WRITE_ERRORS
from safeops.dispatch.intake import (
    INTEGRATION_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    IntakeUnauthorized,
    verify,
)
from safeops.dispatch.models import Integration
from safeops.dispatch.services.intake import ALARM_KINDS, intake_alarm

intake_router = Router(tags=["dispatch: alarm intake"])


class IntakeSignature(APIKeyHeader):
    """HMAC-SHA256 of "<X-Safeops-Timestamp>." + the raw body with the integration's secret,
    sent as `X-Safeops-Signature: sha256=<hex>` with `X-Safeops-Integration: <key>`."""

    param_name = SIGNATURE_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> Integration:
        try:
            return verify(
                key=request.headers.get(INTEGRATION_HEADER, ""),
                timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
                signature=key or "",
                body=request.body,
            )
        except IntakeUnauthorized as error:
            raise AuthenticationError(message=error.message) from None


class AlarmIn(Schema):
    event_id: str = Field(
        ..., min_length=1, max_length=100, description="The sender's id; a resend is one alarm."
    )
    device_id: str = Field(..., min_length=1, max_length=100)
    kind: str = Field("panic", max_length=20, description=f"One of {', '.join(ALARM_KINDS)}.")
    occurred_at: dt.datetime | None = Field(
        None, description="When the device fired (kept in logs)."
    )


class AlarmOut(Schema):
    request_id: int
    status: str
    priority: str
    school_id: int | None
    place: str
    alert_id: int | None
    replayed: bool


@intake_router.post(
    "/alerts",
    auth=IntakeSignature(),
    response={201: AlarmOut, 200: AlarmOut} | WRITE_ERRORS,
    summary="A signed panic or badge alarm: files one P1 request at the device's school",
)
def intake_alert_api(request: HttpRequest, payload: AlarmIn) -> Status[dict[str, Any]]:
    integration: Integration = request.auth  # type: ignore[attr-defined]
    received = intake_alarm(
        integration=integration,
        event_id=payload.event_id,
        device_id=payload.device_id,
        kind=payload.kind,
    )
    body = {
        "request_id": received.request.pk,
        "status": received.request.status,
        "priority": received.request.priority,
        "school_id": received.request.school_id,
        "place": received.request.place,
        "alert_id": received.alert.pk if received.alert is not None else None,
        "replayed": received.replayed,
    }
    return Status(200 if received.replayed else 201, body)
