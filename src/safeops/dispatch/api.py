"""Dispatch API: /api/requests and /api/officers. Errors are JSON naming the field at fault.

409 bodies: {"detail", "errors": [{"field", "message"}], "allowed": [...] (illegal change)}.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from safeops.access import Action
from safeops.core.discipline import DISCIPLINE_OVERRIDE_HINT, DisciplineRefusal
from safeops.core.inputs import READ_ERRORS, WRITE_ERRORS, ErrorOut, Id
from safeops.dispatch.exceptions import DispatchConflict
from safeops.dispatch.recommend import Candidate
from safeops.dispatch.selectors import (
    demographics_get_for_user,
    district_school_get,
    officer_get_for_user,
    officer_list_for_user,
    officer_requests_for_user,
    request_check_visible,
    request_detail_for_user,
    request_get_for_user,
    requester_school_get,
    require_request_access,
)
from safeops.dispatch.serialize import officer_payload, request_payload
from safeops.dispatch.services import (
    DemographicsInput,
    RequestCreated,
    TransitionResult,
    officer_duty_set,
    officer_position_update,
    request_assign,
    request_create,
    request_on_view,
    request_transition,
)
from safeops.dispatch.services import officer_zone_names as _zones
from safeops.schools.models import School

requests_router = Router(tags=["dispatch: requests"])
officers_router = Router(tags=["dispatch: officers"])


class OfficerCandidateOut(Schema):
    officer_id: int
    name: str
    zone_id: int | None
    zone_name: str
    eta_minutes: float
    stale: bool
    has_position: bool
    position_age_seconds: float | None
    own_zone: bool
    open_requests: int
    rank: int
    lapsed: str = Field("", description="Why the SRO training or POPS certification lapsed")
    held: bool = Field(
        False,
        description="Offered first to another call in the last few seconds: ranked after the "
        "officers who were not.",
    )


class RequestOut(Schema):
    id: int
    status: str
    status_label: str
    open: bool
    allowed_next: list[str]
    priority: str
    priority_label: str
    category: str
    category_label: str
    summary: str
    place: str
    school_id: int | None
    zone_id: int | None
    zone: str
    latitude: float
    longitude: float
    officer_id: int | None
    officer: str
    eta_minutes: float | None
    created_at: dt.datetime
    assigned_at: dt.datetime | None
    on_scene_at: dt.datetime | None
    closed_at: dt.datetime | None
    disposition: str
    call_911_first: bool = Field(description="P1: the requester calls 911 first.")


class RequestCreatedOut(RequestOut):
    recommended: list[OfficerCandidateOut]
    replayed: bool


class DispatchEventOut(Schema):
    id: int
    from_status: str
    to_status: str
    officer_id: int | None
    actor: str
    at: dt.datetime
    disposition: str
    note: str
    override_reason: str = Field("", description="Why a lapsed officer was sent anyway.")
    has_demographics: bool = False


class RequestDetailOut(RequestOut):
    timeline: list[DispatchEventOut]
    recommended: list[OfficerCandidateOut]


class RequestTransitionOut(Schema):
    request: RequestOut
    event: DispatchEventOut
    replayed: bool


class RequestCreateIn(Schema):
    school_id: Id | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    location_description: str = Field("", max_length=200)
    category: str = Field(..., max_length=60)
    priority: str = Field("", max_length=2)
    summary: str = Field(..., min_length=1, max_length=280)
    client_key: str = Field("", max_length=64, description="Retrying with the same key is safe.")
    safety_reason: str = Field(
        "",
        max_length=300,
        description="After a discipline refusal (422): why this is a safety matter. The request "
        "is then filed and the override recorded.",
    )


class OnViewIn(Schema):
    latitude: float = Field(..., ge=-90, le=90)
    longitude: float = Field(..., ge=-180, le=180)
    school_id: Id | None = None
    location_description: str = Field("", max_length=200)
    category: str = Field(..., max_length=60)
    priority: str = Field("", max_length=2)
    summary: str = Field(..., min_length=1, max_length=280)
    client_key: str = Field("", max_length=64, description="Retrying with the same key is safe.")
    safety_reason: str = Field(
        "",
        max_length=300,
        description="After a discipline refusal (422): why this is a safety matter.",
    )


class RequestAssignIn(Schema):
    officer_id: Id
    idempotency_key: str = Field("", max_length=64)
    override_reason: str = Field(
        "",
        max_length=300,
        description="Required to send an officer whose SRO standing lapsed (district policy).",
    )


class ClearingDemographicsIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)
    race_ethnicity: str
    sex: str
    disability_status: str
    english_learner: str


class RequestTransitionIn(Schema):
    to_status: str = Field(..., max_length=20)
    idempotency_key: str = Field(..., min_length=1, max_length=64)
    officer_id: Id | None = None
    disposition: str = Field("", max_length=30)
    note: str = Field("", max_length=300)
    demographics: ClearingDemographicsIn | None = None


class OfficerOut(Schema):
    id: int
    name: str
    zone: str
    on_duty: bool
    latitude: float | None
    longitude: float | None
    position_at: dt.datetime | None
    open_requests: int
    current_request_id: int | None
    available: bool
    lapsed: str = Field("", description="Why the SRO training or POPS certification lapsed")


class OfficerPositionIn(Schema):
    latitude: float = Field(..., ge=-90, le=90)
    longitude: float = Field(..., ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0, allow_inf_nan=False)
    recorded_at: dt.datetime | None = None


class OfficerDutyIn(Schema):
    on_duty: bool


class ClearingDemographicsOut(Schema):
    event_id: int
    reason: str
    race_ethnicity: str
    sex: str
    disability_status: str
    english_learner: str


def _conflict(error: DispatchConflict) -> Status[dict[str, Any]]:
    body = {
        "detail": error.message,
        "errors": [{"field": error.field, "message": error.message}],
        "allowed": error.allowed,
    }
    return Status(409, body)


def _refused(error: DisciplineRefusal) -> Status[dict[str, Any]]:
    message = gettext(error.message)
    errors = [{"field": "category", "message": message}]
    if error.overridable:
        errors.append({"field": "safety_reason", "message": gettext(DISCIPLINE_OVERRIDE_HINT)})
    return Status(422, {"detail": message, "errors": errors})


def _candidate(c: Candidate) -> dict[str, Any]:
    return c.__dict__


def _event(event: Any, has_demographics: bool = False) -> dict[str, Any]:
    return {
        "id": event.pk,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "officer_id": event.officer_id,
        "actor": event.actor_label,
        "at": event.at,
        "disposition": event.disposition,
        "note": event.note,
        "override_reason": event.override_reason,
        "has_demographics": has_demographics,
    }


def _transition_out(result: TransitionResult) -> dict[str, Any]:
    return {
        "request": request_payload(result.request),
        "event": _event(result.event),
        "replayed": result.replayed,
    }


def _file_call(
    request: HttpRequest,
    payload: RequestCreateIn | OnViewIn,
    *,
    school_get: Callable[..., School],
    service: Callable[..., RequestCreated],
) -> RequestCreated | Status[dict[str, Any]]:
    """Look the school up for the caller and open the call through `service` (filing or
    on-view); a discipline refusal or a conflict comes back as its error response."""
    require_request_access(request.user)
    school = (
        school_get(user=request.user, school_id=payload.school_id)
        if payload.school_id is not None
        else None
    )
    try:
        return service(
            actor=request.user,
            school=school,
            latitude=payload.latitude,
            longitude=payload.longitude,
            location_description=payload.location_description,
            category=payload.category,
            priority=payload.priority,
            summary=payload.summary,
            client_key=payload.client_key,
            safety_reason=payload.safety_reason,
        )
    except DisciplineRefusal as error:
        return _refused(error)
    except DispatchConflict as error:
        return _conflict(error)


@requests_router.post(
    "/on-view",
    response={201: RequestCreatedOut, 200: RequestCreatedOut} | WRITE_ERRORS | {409: ErrorOut},
    summary="An officer opens an on-view call at their position (assigned to them, on scene)",
)
def request_on_view_api(request: HttpRequest, payload: OnViewIn) -> Status[dict[str, Any]]:
    created = _file_call(request, payload, school_get=district_school_get, service=request_on_view)
    if isinstance(created, Status):
        return created
    body = {**request_payload(created.request), "recommended": [], "replayed": created.replayed}
    return Status(200 if created.replayed else 201, body)


@requests_router.post(
    "",
    response={201: RequestCreatedOut, 200: RequestCreatedOut} | WRITE_ERRORS,
    summary="File a support request; returns it with the recommended officers",
)
def request_create_api(
    request: HttpRequest, response: HttpResponse, payload: RequestCreateIn
) -> Status[dict[str, Any]]:
    created = _file_call(request, payload, school_get=requester_school_get, service=request_create)
    if isinstance(created, Status):
        return created
    response["Server-Timing"] = f"recommend;dur={created.recommend_seconds * 1000:.3f}"
    body = {
        **request_payload(created.request),
        "recommended": [_candidate(c) for c in created.candidates],
        "replayed": created.replayed,
    }
    return Status(200 if created.replayed else 201, body)


@requests_router.get("/{request_id}", response={200: RequestDetailOut} | READ_ERRORS)
def request_get_api(request: HttpRequest, request_id: Id) -> dict[str, Any]:
    require_request_access(request.user)
    detail = request_detail_for_user(user=request.user, request_id=request_id)
    return {
        **request_payload(detail.request),
        "timeline": [_event(row.event, row.has_demographics) for row in detail.timeline],
        "recommended": [_candidate(c) for c in detail.candidates],
    }


@requests_router.post(
    "/{request_id}/assign",
    response={200: RequestTransitionOut, 409: ErrorOut} | WRITE_ERRORS,
    summary="Assign an officer (409 if the officer is no longer available)",
)
def request_assign_api(
    request: HttpRequest, request_id: Id, payload: RequestAssignIn
) -> Status[dict[str, Any]]:
    require_request_access(request.user)
    visible = request_check_visible(user=request.user, request_id=request_id)
    try:
        result = request_assign(
            request_id=visible.id,
            officer_id=payload.officer_id,
            actor=request.user,
            idempotency_key=payload.idempotency_key,
            holder_hint=visible.officer_id,
            override_reason=payload.override_reason,
        )
    except DispatchConflict as error:
        return _conflict(error)
    return Status(200, _transition_out(result))


@requests_router.post(
    "/{request_id}/transitions",
    response={200: RequestTransitionOut, 409: ErrorOut} | WRITE_ERRORS,
    summary="Change the status (idempotent per key; 409 names the allowed next statuses)",
)
def request_transition_api(
    request: HttpRequest, request_id: Id, payload: RequestTransitionIn
) -> Status[dict[str, Any]]:
    require_request_access(request.user)
    visible = request_check_visible(user=request.user, request_id=request_id)
    demographics = (
        DemographicsInput(**payload.demographics.dict()) if payload.demographics else None
    )
    try:
        result = request_transition(
            request_id=visible.id,
            to_status=payload.to_status,
            actor=request.user,
            idempotency_key=payload.idempotency_key,
            officer_id=payload.officer_id,
            disposition=payload.disposition,
            note=payload.note,
            demographics=demographics,
            holder_hint=visible.officer_id,
        )
    except DispatchConflict as error:
        return _conflict(error)
    return Status(200, _transition_out(result))


@requests_router.get(
    "/{request_id}/clearings/{event_id}/demographics",
    response={200: ClearingDemographicsOut} | READ_ERRORS,
    summary="Restricted: the demographic fields of an enforcement clearing (audited)",
)
def demographics_get_api(request: HttpRequest, request_id: Id, event_id: Id) -> dict[str, Any]:
    require_request_access(request.user)
    request_get_for_user(user=request.user, request_id=request_id)
    record = demographics_get_for_user(user=request.user, event_id=event_id)
    return {
        "event_id": record.event_id,
        "reason": record.reason,
        "race_ethnicity": record.race_ethnicity,
        "sex": record.sex,
        "disability_status": record.disability_status,
        "english_learner": record.english_learner,
    }


@officers_router.get(
    "",
    response={200: list[OfficerOut]} | READ_ERRORS,
    summary="Officers (available=true: free now)",
)
def officer_list_api(request: HttpRequest, available: bool | None = None) -> list[dict[str, Any]]:
    require_request_access(request.user)
    return officer_list_for_user(user=request.user, available=available)


@officers_router.get(
    "/me/requests", response={200: list[RequestOut]} | READ_ERRORS, summary="My open requests"
)
def officer_my_requests_api(request: HttpRequest) -> list[dict[str, Any]]:
    return officer_requests_for_user(user=request.user)


def _officer_out(status: Any) -> dict[str, Any]:
    zones = _zones([status.person_id])
    return officer_payload(status, zone_name=zones.get(status.person_id, ""))


@officers_router.post(
    "/{officer_id}/position", response={200: OfficerOut, 409: ErrorOut} | WRITE_ERRORS
)
def officer_position_api(
    request: HttpRequest, officer_id: Id, payload: OfficerPositionIn
) -> Status[dict[str, Any]]:
    person = officer_get_for_user(user=request.user, officer_id=officer_id, action=Action.CHANGE)
    try:
        status = officer_position_update(
            officer=person,
            latitude=payload.latitude,
            longitude=payload.longitude,
            accuracy_m=payload.accuracy_m,
            recorded_at=payload.recorded_at,
            actor=request.user,
        )
    except DispatchConflict as error:
        return _conflict(error)
    return Status(200, officer_payload(status))


@officers_router.post(
    "/{officer_id}/duty", response={200: OfficerOut, 409: ErrorOut} | WRITE_ERRORS
)
def officer_duty_api(
    request: HttpRequest, officer_id: Id, payload: OfficerDutyIn
) -> Status[dict[str, Any]]:
    person = officer_get_for_user(user=request.user, officer_id=officer_id, action=Action.CHANGE)
    try:
        status = officer_duty_set(officer=person, on_duty=payload.on_duty, actor=request.user)
    except DispatchConflict as error:
        return _conflict(error)
    return Status(200, _officer_out(status))
