"""Patrol API for the officer's phone: /api/patrol (today's plan, check-in, skip)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from safeops.core.inputs import READ_ERRORS, WRITE_ERRORS, ErrorOut, Id, error_body
from safeops.patrol.exceptions import NO_PLAN, PatrolError
from safeops.patrol.selectors import own_plan, plan_visits
from safeops.patrol.serialize import plan_payload, visit_payload
from safeops.patrol.visits import VisitResult, visit_check_in, visit_skip

router = Router(tags=["patrol"])


class CheckInIn(Schema):
    latitude: float = Field(..., ge=-90, le=90)
    longitude: float = Field(..., ge=-180, le=180)
    idempotency_key: str = Field("", max_length=64)
    at: dt.datetime | None = Field(None, description="When it happened (a queued check-in)")


class SkipIn(Schema):
    reason: str = Field(..., max_length=20)
    note: str = Field("", max_length=200)
    idempotency_key: str = Field("", max_length=64)
    at: dt.datetime | None = None


def _at(value: dt.datetime | None) -> dt.datetime | None:
    """A time from the phone, never in the future."""
    if value is None:
        return None
    return min(value, timezone.now())


def _out(result: VisitResult) -> dict[str, Any]:
    return {"visit": visit_payload(result.visit), "replayed": result.replayed}


@router.get("/today", response={200: dict[str, Any], 404: ErrorOut} | READ_ERRORS)
def today_api(request: HttpRequest) -> Status[dict[str, Any]]:
    """The caller's plan for today, stop by stop."""
    plan = own_plan(user=request.user, day=timezone.localdate())
    if plan is None:
        return Status(404, error_body(str(NO_PLAN)))
    return Status(200, plan_payload(plan, plan_visits(plan=plan)))


def _visit_write(write: Callable[[], VisitResult]) -> Status[dict[str, Any]]:
    try:
        result = write()
    except PatrolError as error:
        return Status(409, error_body(str(error)))
    return Status(200, _out(result))


@router.post(
    "/visits/{visit_id}/check-in", response={200: dict[str, Any], 409: ErrorOut} | WRITE_ERRORS
)
def check_in_api(request: HttpRequest, visit_id: Id, payload: CheckInIn) -> Status[dict[str, Any]]:
    """Check in at a stop of your plan (idempotent per key); far away is recorded as such."""
    return _visit_write(
        lambda: visit_check_in(
            visit_id=visit_id,
            actor=request.user,
            latitude=payload.latitude,
            longitude=payload.longitude,
            idempotency_key=payload.idempotency_key,
            at=_at(payload.at),
        )
    )


@router.post(
    "/visits/{visit_id}/skip", response={200: dict[str, Any], 409: ErrorOut} | WRITE_ERRORS
)
def skip_api(request: HttpRequest, visit_id: Id, payload: SkipIn) -> Status[dict[str, Any]]:
    """Skip a stop of your plan, with a reason (idempotent per key)."""
    return _visit_write(
        lambda: visit_skip(
            visit_id=visit_id,
            actor=request.user,
            reason=payload.reason,
            note=payload.note,
            idempotency_key=payload.idempotency_key,
            at=_at(payload.at),
        )
    )
