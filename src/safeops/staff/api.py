from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from safeops.access import Action, Resource, can, can_any, people_visible_to, restrict
from safeops.core.inputs import READ_ERRORS, WRITE_ERRORS, Id
from safeops.schools.models import School
from safeops.staff.models import Assignment
from safeops.staff.selectors import assignment_list_for_user
from safeops.staff.services import assignment_create, assignment_end
from safeops.staff.views import NO_STAFF_ACCESS
from safeops.zones.models import Zone

router = Router(tags=["assignments"])


class AssignmentOut(Schema):
    id: int
    person_id: int
    person_name: str
    role: str
    school_id: int | None
    zone_id: int | None
    starts_on: dt.date
    ends_on: dt.date | None

    @staticmethod
    def resolve_person_name(obj: Assignment) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_role(obj: Assignment) -> str:
        return obj.person.role


class AssignmentCreateIn(Schema):
    person_id: Id
    school_id: Id | None = None
    zone_id: Id | None = None
    starts_on: dt.date
    ends_on: dt.date | None = None


class AssignmentEndIn(Schema):
    ends_on: dt.date


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.ASSIGNMENT):
        raise PermissionDenied(NO_STAFF_ACCESS)


def _require_change(request: HttpRequest) -> None:
    if not can_any(request.user, Action.CHANGE, Resource.ASSIGNMENT):
        raise PermissionDenied(gettext("You may not change assignments."))


@router.get(
    "", response={200: list[AssignmentOut]} | READ_ERRORS, summary="Current assignments you may see"
)
def assignment_list_api(
    request: HttpRequest, role: str = "", include_past: bool = False
) -> list[Assignment]:
    _require_view(request)
    return list(
        assignment_list_for_user(user=request.user, role=role, current_only=not include_past)
    )


@router.post("", response={201: AssignmentOut} | WRITE_ERRORS)
def assignment_create_api(
    request: HttpRequest, payload: AssignmentCreateIn
) -> tuple[int, Assignment]:
    _require_change(request)
    person = people_visible_to(request.user).filter(pk=payload.person_id).first()
    if person is None:
        raise Http404(gettext("No such person in your scope."))
    school = zone = None
    if payload.school_id is not None:
        school = restrict(School.objects.filter(pk=payload.school_id), request.user).first()
        if school is None:
            raise Http404(gettext("No such school in your scope."))
    if payload.zone_id is not None:
        zone = restrict(Zone.objects.filter(pk=payload.zone_id), request.user).first()
        if zone is None:
            raise Http404(gettext("No such zone in your scope."))
    assignment = assignment_create(
        person=person,
        school=school,
        zone=zone,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        actor=request.user,
    )
    return 201, assignment


@router.post("/{assignment_id}/end", response={200: AssignmentOut} | WRITE_ERRORS)
def assignment_end_api(
    request: HttpRequest, assignment_id: Id, payload: AssignmentEndIn
) -> Assignment:
    _require_view(request)
    assignment = (
        assignment_list_for_user(user=request.user, current_only=False)
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404(gettext("No such assignment in your scope."))
    if not can(request.user, Action.CHANGE, assignment):
        raise PermissionDenied(gettext("You may not change this assignment."))
    return assignment_end(assignment=assignment, ends_on=payload.ends_on, actor=request.user)
