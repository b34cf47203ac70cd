from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from safeops.access import Action, Resource, can, can_any
from safeops.core.inputs import READ_ERRORS, WRITE_ERRORS, Id
from safeops.core.services import model_update
from safeops.schools.choices import SchoolLevel
from safeops.schools.models import School
from safeops.schools.selectors import school_get_for_user, school_list_for_user
from safeops.schools.views import NO_SCHOOL_ACCESS

router = Router(tags=["schools"])


class SchoolOut(Schema):
    id: int
    name: str
    code: str
    nces_id: str
    level: str
    grade_low: str
    grade_high: str
    address: str
    latitude: float
    longitude: float
    enrollment: int | None
    feeder_high_school_id: int | None
    active: bool


class SchoolPatchIn(Schema):
    name: str | None = Field(None, max_length=200)
    level: SchoolLevel | None = None
    address: str | None = Field(None, max_length=250)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    enrollment: int | None = Field(None, ge=0)
    active: bool | None = None


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.SCHOOL):
        raise PermissionDenied(NO_SCHOOL_ACCESS)


@router.get("", response={200: list[SchoolOut]} | READ_ERRORS, summary="Schools you may see")
def school_list_api(
    request: HttpRequest, q: str = "", level: SchoolLevel | None = None
) -> list[School]:
    _require_view(request)
    return list(school_list_for_user(user=request.user, search=q, level=level or ""))


@router.get("/{school_id}", response={200: SchoolOut} | READ_ERRORS)
def school_get_api(request: HttpRequest, school_id: Id) -> School:
    _require_view(request)
    return school_get_for_user(user=request.user, school_id=school_id)


@router.patch("/{school_id}", response={200: SchoolOut} | WRITE_ERRORS)
def school_update_api(request: HttpRequest, school_id: Id, payload: SchoolPatchIn) -> School:
    _require_view(request)
    school = school_get_for_user(user=request.user, school_id=school_id)
    if not can(request.user, Action.CHANGE, school):
        raise PermissionDenied(gettext("You may not change this school."))
    data = payload.dict(exclude_unset=True)
    return model_update(instance=school, actor=request.user, data=data)
