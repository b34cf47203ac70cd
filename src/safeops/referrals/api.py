"""Referrals API: /api/referrals. Errors are JSON naming the field at fault.

409 bodies (an illegal status change): {"detail", "errors": [{"field", "message"}], "allowed"}.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from safeops.access import Action, Resource, can_any
from safeops.core.discipline import (
    SAFETY_REASON_MAX_CHARS,
    SUPPORT_OVERRIDE_HINT,
    DisciplineRefusal,
)
from safeops.core.inputs import READ_ERRORS, WRITE_ERRORS, ErrorOut, Id
from safeops.referrals.choices import (
    ConsentGivenBy,
    ConsentScope,
    Grade,
    allowed_next,
)
from safeops.referrals.exceptions import ReferralConflict
from safeops.referrals.models import Referral
from safeops.referrals.selectors import (
    linked_plan_task_for_user,
    onboarding_for_person,
    onboarding_person_for_user,
    referral_get_for_user,
    referral_list_for_user,
    referral_stats_for_user,
    service_get,
)
from safeops.referrals.services import ConsentInput, referral_create, referral_transition
from safeops.referrals.views import NO_ONBOARDING, NO_REFERRAL_ACCESS, NO_STATS_ACCESS
from safeops.schools.models import School

router = Router(tags=["referrals"])


class ReferralOut(Schema):
    id: int
    status: str
    status_label: str
    allowed_next: list[str]
    outcome: str
    school_id: int
    service_id: int
    service: str
    created_at: dt.datetime
    status_changed_at: dt.datetime
    services_started_at: dt.datetime | None
    closed_at: dt.datetime | None
    support_request_id: int | None
    incident_id: int | None


class ReferralEventOut(Schema):
    from_status: str
    to_status: str
    outcome: str
    actor: str
    via_provider_link: bool
    at: dt.datetime
    note: str


class ReferralDetailOut(ReferralOut):
    plan_task_id: int | None = Field(
        description="Only for a user who may see the threat-assessment case."
    )
    student_number: str
    student_initials: str
    grade: str
    consent_given_by: str
    consent_given_on: dt.date
    consent_scope: str
    handoff_note: str
    referrer: str
    timeline: list[ReferralEventOut]


class ReferralConsentIn(Schema):
    given_by: str
    given_on: dt.date
    scope: str


class ReferralCreateIn(Schema):
    school_id: Id
    service_id: Id
    student_number: str = Field("", max_length=20)
    student_initials: str = Field("", max_length=3)
    grade: str
    consent: ReferralConsentIn
    handoff_note: str = Field(..., min_length=1, max_length=4000)
    support_request_id: Id | None = None
    incident_id: Id | None = None
    plan_task_id: Id | None = None
    support_reason: str = Field(
        "",
        max_length=SAFETY_REASON_MAX_CHARS,
        description="Why the hand-off note is not a discipline matter, when the guard refused "
        "it: the referral is sent and the reason recorded and audited.",
    )


class ReferralTransitionIn(Schema):
    to_status: str = Field(..., max_length=20)
    outcome: str = Field("", max_length=30)
    note: str = Field("", max_length=300)


class ReferralStatsCategoryOut(Schema):
    category: str
    label: str
    referrals: int | str
    started: int | str
    completion_rate: float | str | None
    median_days_to_services: float | str | None


class ReferralStatsOut(Schema):
    since: dt.date
    until: dt.date
    minimum_cell: int
    total: int | str
    total_started: int | str
    completion_rate: float | str | None
    median_days_to_services: float | str | None
    categories: list[ReferralStatsCategoryOut]


class OnboardingEntryOut(Schema):
    category: str
    label: str
    done: bool
    service: str
    on: dt.date | None
    kind: str


class OnboardingOut(Schema):
    person_id: int
    done: int
    total: int
    radius_km: int
    entries: list[OnboardingEntryOut]


def _out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "allowed_next": allowed_next(referral.status),
        "outcome": referral.outcome,
        "school_id": referral.school_id,
        "service_id": referral.service_id,
        "service": referral.service.name,
        "created_at": referral.created_at,
        "status_changed_at": referral.status_changed_at,
        "services_started_at": referral.services_started_at,
        "closed_at": referral.closed_at,
        "support_request_id": referral.support_request_id,
        "incident_id": referral.incident_id,
    }


def _detail(referral: Referral, *, user: Any) -> dict[str, Any]:
    task = linked_plan_task_for_user(user=user, referral=referral)
    return _out(referral) | {
        "plan_task_id": task.pk if task is not None else None,
        "student_number": referral.student_number,
        "student_initials": referral.student_initials,
        "grade": referral.grade,
        "consent_given_by": referral.consent_given_by,
        "consent_given_on": referral.consent_given_on,
        "consent_scope": referral.consent_scope,
        "handoff_note": referral.handoff_note,
        "referrer": referral.referrer_label,
        "timeline": [
            {
                "from_status": e.from_status,
                "to_status": e.to_status,
                "outcome": e.outcome,
                "actor": e.actor_label,
                "via_provider_link": e.via_provider_link,
                "at": e.at,
                "note": e.note,
            }
            for e in referral.events.all()
        ],
    }


def _choice(field: str, value: str, choices: list[str]) -> str:
    if value not in choices:
        message = gettext("Unknown value %(value)s; use one of %(choices)s.") % {
            "value": repr(value),
            "choices": ", ".join(choices),
        }
        raise ValidationError({field: message})
    return value


def _error(status: int, field: str | None, message: str, **extra: Any) -> Status[dict[str, Any]]:
    return Status(
        status, {"detail": message, "errors": [{"field": field, "message": message}]} | extra
    )


@router.get(
    "",
    response={200: list[ReferralOut]} | READ_ERRORS,
    summary="Referrals you may see (no student fields)",
)
def referral_list_api(
    request: HttpRequest,
    status: str = "",
    support_request_id: Id | None = None,
    incident_id: Id | None = None,
) -> list[dict[str, Any]]:
    if not can_any(request.user, Action.VIEW, Resource.REFERRAL):
        raise PermissionDenied(NO_REFERRAL_ACCESS)
    rows = referral_list_for_user(
        user=request.user,
        status=status or None,
        support_request_id=support_request_id,
        incident_id=incident_id,
    )
    return [_out(r) for r in rows]


@router.post(
    "",
    response={201: ReferralDetailOut} | WRITE_ERRORS,
    summary="Refer a student (minimal identifier, consent, warm hand-off note)",
)
def referral_create_api(request: HttpRequest, payload: ReferralCreateIn) -> Status[dict[str, Any]]:
    school = School.objects.filter(pk=payload.school_id).first()
    if school is None:
        return _error(422, "school_id", "No school with that id.")
    service = service_get(service_id=payload.service_id)
    try:
        referral = referral_create(
            actor=request.user,  # type: ignore[arg-type]
            school=school,
            service=service,
            grade=Grade(_choice("grade", payload.grade, Grade.values)),
            student_number=payload.student_number,
            student_initials=payload.student_initials,
            consent=ConsentInput(
                given_by=ConsentGivenBy(
                    _choice("consent.given_by", payload.consent.given_by, ConsentGivenBy.values)
                ),
                given_on=payload.consent.given_on,
                scope=ConsentScope(
                    _choice("consent.scope", payload.consent.scope, ConsentScope.values)
                ),
            ),
            handoff_note=payload.handoff_note,
            support_request_id=payload.support_request_id,
            incident_id=payload.incident_id,
            plan_task_id=payload.plan_task_id,
            support_reason=payload.support_reason,
        )
    except DisciplineRefusal as error:
        message = gettext(error.message)
        errors = [{"field": "handoff_note", "message": message}]
        if error.overridable:
            errors.append({"field": "support_reason", "message": gettext(SUPPORT_OVERRIDE_HINT)})
        return Status(422, {"detail": message, "errors": errors})
    fresh = referral_get_for_user(user=request.user, referral_id=referral.pk)
    return Status(201, _detail(fresh, user=request.user))


@router.get(
    "/stats",
    response={200: ReferralStatsOut} | READ_ERRORS,
    summary="District aggregates (cells under 10 suppressed)",
)
def referral_stats_api(
    request: HttpRequest, since: dt.date | None = None, until: dt.date | None = None
) -> dict[str, Any]:
    if not can_any(request.user, Action.VIEW, Resource.REFERRAL_STATS):
        raise PermissionDenied(NO_STATS_ACCESS)
    today = timezone.localdate()
    stats = referral_stats_for_user(
        user=request.user,
        since=since or today - dt.timedelta(days=365),
        until=until or today,
    )
    return {
        "since": stats.since,
        "until": stats.until,
        "minimum_cell": stats.minimum_cell,
        "total": stats.total,
        "total_started": stats.total_started,
        "completion_rate": stats.completion_rate,
        "median_days_to_services": stats.median_days_to_services,
        "categories": [row.__dict__ for row in stats.rows],
    }


@router.get(
    "/onboarding/me",
    response={200: OnboardingOut} | READ_ERRORS,
    summary="Your onboarding checklist",
)
def onboarding_me_api(request: HttpRequest) -> dict[str, Any]:
    person = onboarding_person_for_user(user=request.user)
    if person is None:
        raise PermissionDenied(NO_ONBOARDING)
    onboarding = onboarding_for_person(person=person)
    return {
        "person_id": person.pk,
        "done": onboarding.done,
        "total": onboarding.total,
        "radius_km": onboarding.radius_km,
        "entries": [
            {
                "category": e.category,
                "label": e.label,
                "done": e.done,
                "service": e.service_name,
                "on": e.on,
                "kind": e.kind,
            }
            for e in onboarding.entries
        ],
    }


@router.get(
    "/{referral_id}",
    response={200: ReferralDetailOut} | READ_ERRORS,
    summary="One referral (audited)",
)
def referral_detail_api(request: HttpRequest, referral_id: Id) -> dict[str, Any]:
    referral = referral_get_for_user(user=request.user, referral_id=referral_id)
    return _detail(referral, user=request.user)


@router.post(
    "/{referral_id}/transition",
    response={200: ReferralDetailOut, 409: ErrorOut} | WRITE_ERRORS,
    summary="Record the next status (closing needs the outcome)",
)
def referral_transition_api(
    request: HttpRequest, referral_id: Id, payload: ReferralTransitionIn
) -> Status[dict[str, Any]]:
    referral = referral_get_for_user(
        user=request.user, referral_id=referral_id, action=Action.CHANGE
    )
    try:
        referral_transition(
            referral=referral,
            to_status=payload.to_status,
            outcome=payload.outcome,
            note=payload.note,
            actor=request.user,
        )
    except ReferralConflict as error:
        return _error(409, error.field, error.message, allowed=error.allowed)
    except DisciplineRefusal as error:
        return _error(422, "note", error.message)
    fresh = referral_get_for_user(user=request.user, referral_id=referral.pk)
    return Status(200, _detail(fresh, user=request.user))


__all__ = ["router"]
