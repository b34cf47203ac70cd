"""Threat API: the public tip endpoint (no auth, nothing identifying stored) and the team's
read endpoints for tips and cases (scoped and audited like the pages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext, gettext_noop
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view

from safeops.core.clientaddr import client_address
from safeops.core.discipline import DisciplineRefusal
from safeops.core.inputs import PUBLIC_WRITE_ERRORS, READ_ERRORS, ErrorOut, Id
from safeops.core.origin import Origin, request_origin
from safeops.schools.models import School
from safeops.threats import tips
from safeops.threats.choices import REPORTER_VISIBLE, Urgency
from safeops.threats.selectors import (
    case_export_for_user,
    case_get_for_user,
    tip_get_for_user,
    tip_line_district,
    tip_list_for_user,
)

public_router = Router(tags=["threats: anonymous tips"])
tips_router = Router(tags=["threats: tips"])
cases_router = Router(tags=["threats: cases"])


class TipIn(Schema):
    what: str
    school_id: Id | None = None
    place: str = ""
    when: str = ""
    urgency: Urgency = Urgency.UNSURE


class TipReceiptOut(Schema):
    code: str
    phrase: str
    status: str
    imminent: bool
    guidance: str


class TipLookupIn(Schema):
    code: str
    phrase: str
    answer: str = ""


class TipEventOut(Schema):
    at: dt.datetime
    kind: str
    body: str


class TipStatusOut(Schema):
    code: str
    status: str
    status_label: str
    events: list[TipEventOut]


GUIDANCE = gettext_noop("If someone is in danger now, call 911.")  # sent translated


def _error(detail: str, field: str | None, message: str) -> dict[str, object]:
    return {"detail": detail, "errors": [{"field": field, "message": message}]}


def _tip_line_guard(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Before the body is read: refuse a post another site's page sent (403), and any body that
    is not `application/json` (415), which a cross-site page cannot send without a CORS
    preflight that this API never grants. A client sending no Origin, Sec-Fetch-Site or
    Referer (not a browser) is accepted: a web page cannot make a browser omit them."""

    @wraps(run)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request_origin(request) is Origin.CROSS:
            body = _error("Cross-site request refused.", None, str(tips.CROSS_SITE_REFUSED))
            return JsonResponse(body, status=403)
        if request.content_type != "application/json":
            body = _error("Unsupported media type.", None, str(tips.JSON_REQUIRED))
            return JsonResponse(body, status=415)
        return run(request, *args, **kwargs)

    return guarded


@public_router.post(
    "", auth=None, response={201: TipReceiptOut, 404: ErrorOut} | PUBLIC_WRITE_ERRORS
)
@decorate_view(_tip_line_guard)
def submit_tip(request: HttpRequest, payload: TipIn) -> object:
    district = tip_line_district()
    school = None
    if payload.school_id is not None:
        school = School.objects.filter(pk=payload.school_id, district=district).first()
        if school is None:
            return Status(
                422, _error(gettext("Invalid input."), "school_id", gettext("No such school."))
            )
    try:
        receipt = tips.tip_submit(
            district=district,
            school=school,
            place=payload.place,
            what=payload.what,
            when_text=payload.when,
            urgency=payload.urgency,
            address=client_address(request),
        )
    except DisciplineRefusal as error:
        return Status(422, _error(gettext("Refused."), "what", gettext(error.message)))
    except tips.RateLimited as error:
        return Status(429, _error(gettext("Too many tips."), None, str(error)))
    return Status(
        201,
        {
            "code": receipt.code,
            "phrase": receipt.phrase,
            "status": receipt.tip.status,
            "imminent": receipt.tip.imminent,
            "guidance": gettext(GUIDANCE),
        },
    )


@public_router.post("/status", auth=None, response={200: TipStatusOut} | PUBLIC_WRITE_ERRORS)
@decorate_view(_tip_line_guard)
def tip_status(request: HttpRequest, payload: TipLookupIn) -> object:
    """The reporter's view (POST so the phrase stays out of URLs); `answer` replies to staff."""
    try:
        tip = tips.tip_lookup(
            code=payload.code, phrase=payload.phrase, address=client_address(request)
        )
        if payload.answer.strip():
            tips.tip_answer(tip=tip, answer=payload.answer)
    except tips.RateLimited as error:
        return Status(429, _error(gettext("Too many look-ups."), None, str(error)))
    events = [
        {"at": e.at, "kind": e.kind, "body": e.body}
        for e in tip.events.all()
        if e.kind in REPORTER_VISIBLE
    ]
    return {
        "code": tip.code,
        "status": tip.status,
        "status_label": tip.get_status_display(),
        "events": events,
    }


class TipOut(Schema):
    id: int
    code: str
    school_id: int | None
    status: str
    urgency: str
    imminent: bool
    hoax_flags: str
    created_at: dt.datetime


class TipDetailOut(TipOut):
    what: str
    place: str


class ThreatCaseOut(Schema):
    id: int
    school_id: int
    stage: str
    classification: str
    next_follow_up_on: dt.date | None


class ThreatCaseDetailOut(ThreatCaseOut):
    subject: str
    grade: str
    concern: str
    open_tasks: int


@tips_router.get("", response={200: list[TipOut]} | READ_ERRORS)
def list_tips(request: HttpRequest) -> object:
    return tip_list_for_user(user=request.user)


@tips_router.get("/{tip_id}", response={200: TipDetailOut} | READ_ERRORS)
def get_tip(request: HttpRequest, tip_id: Id) -> object:
    return tip_get_for_user(user=request.user, tip_id=tip_id)


@cases_router.get("", response={200: list[ThreatCaseOut]} | READ_ERRORS)
def list_cases(request: HttpRequest) -> object:
    return case_export_for_user(user=request.user)


@cases_router.get("/{case_id}", response={200: ThreatCaseDetailOut} | READ_ERRORS)
def get_case(request: HttpRequest, case_id: Id) -> object:
    case = case_get_for_user(user=request.user, case_id=case_id)
    case.open_tasks = case.tasks.filter(done_on__isnull=True).count()  # type: ignore[attr-defined]
    return case
