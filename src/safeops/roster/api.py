"""Roster API (/api/roster): shifts and leave, with the pages' role checks and services.

Supervisors (the chief, the dispatchers) list and add the district's shifts and leave; an SSO
lists their own. Times are ISO 8601; a time without an offset is the district's local time.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator

from safeops.access import Action, Resource, can_any
from safeops.core.inputs import READ_ERRORS, WRITE_ERRORS, Id
from safeops.roster.models import Leave, LeaveKind, Shift
from safeops.roster.selectors import (
    leave_for_user,
    officers_for_user,
    shifts_for_user,
    week_start,
)
from safeops.roster.services import leave_record, shift_create
from safeops.roster.views import NO_ROSTER, NOT_MANAGER
from safeops.staff.models import Person

router = Router(tags=["roster"])
NOT_AN_OFFICER = gettext_lazy("No such officer in your district.")

FIRST_YEAR, LAST_YEAR = 2000, 2100
OUT_OF_RANGE = f"must be in the years {FIRST_YEAR} to {LAST_YEAR}"


def _in_range_day(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(OUT_OF_RANGE)
    return value


def _in_range_time(value: dt.datetime) -> dt.datetime:
    _in_range_day(value.date())
    return timezone.make_aware(value) if timezone.is_naive(value) else value


Day = Annotated[dt.date, AfterValidator(_in_range_day)]
Moment = Annotated[dt.datetime, AfterValidator(_in_range_time)]


class RosterEntryOut(Schema):
    """What a shift and a leave have in common: whose, what kind, the comment."""

    id: int
    person_id: int
    person_name: str
    kind: str
    comment: str

    @staticmethod
    def resolve_person_name(obj: Shift | Leave) -> str:
        return obj.person.full_name


class RosterShiftOut(RosterEntryOut):
    starts_at: dt.datetime
    ends_at: dt.datetime


class RosterShiftIn(Schema):
    person_id: Id
    starts_at: Moment
    ends_at: Moment
    comment: str = Field("", max_length=200)


class RosterLeaveOut(RosterEntryOut):
    first_day: dt.date
    last_day: dt.date


class RosterLeaveIn(Schema):
    person_id: Id
    first_day: Day
    last_day: Day
    kind: LeaveKind
    comment: str = Field("", max_length=200)


class RosterWeekQuery(Schema):
    week: Day | None = Field(None, description="A day of the week wanted (default: this week)")


def _week(query: RosterWeekQuery) -> tuple[dt.date, dt.date]:
    start = week_start(query.week or timezone.localdate())
    return start, start + dt.timedelta(days=6)


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.SHIFT):
        raise PermissionDenied(NO_ROSTER)


def _officer(request: HttpRequest, person_id: int) -> Person:
    """An officer the caller may put on the roster (supervisors only)."""
    if not can_any(request.user, Action.CHANGE, Resource.SHIFT):
        raise PermissionDenied(NOT_MANAGER)
    person = officers_for_user(user=request.user).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person_id": str(NOT_AN_OFFICER)})
    return person


@router.get("/shifts", response={200: list[RosterShiftOut]} | READ_ERRORS)
def shift_list_api(request: HttpRequest, query: Query[RosterWeekQuery]) -> list[Shift]:
    """The week's shifts you may see (supervisors: the district's; an officer: their own)."""
    _require_view(request)
    first, _last = _week(query)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    return shifts_for_user(user=request.user, since=since, until=since + dt.timedelta(days=7))


@router.post("/shifts", response={201: RosterShiftOut} | WRITE_ERRORS)
def shift_create_api(request: HttpRequest, payload: RosterShiftIn) -> Status[Shift]:
    """Put an officer on the roster (refused: an overlap with their shifts, a day of leave)."""
    shift = shift_create(
        person=_officer(request, payload.person_id),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        comment=payload.comment,
        actor=request.user,
    )
    return Status(201, shift)


@router.get("/leave", response={200: list[RosterLeaveOut]} | READ_ERRORS)
def leave_list_api(request: HttpRequest, query: Query[RosterWeekQuery]) -> list[Leave]:
    """The week's leave you may see."""
    _require_view(request)
    first, last = _week(query)
    return leave_for_user(user=request.user, first=first, last=last)


@router.post("/leave", response={201: RosterLeaveOut} | WRITE_ERRORS)
def leave_create_api(request: HttpRequest, payload: RosterLeaveIn) -> Status[Leave]:
    """Record days off or leave (refused: days that hold the officer's shifts)."""
    leave = leave_record(
        person=_officer(request, payload.person_id),
        first_day=payload.first_day,
        last_day=payload.last_day,
        kind=payload.kind,
        comment=payload.comment,
        actor=request.user,
    )
    return Status(201, leave)
