"""JSON API of the directory: GET /api/resources/search, GET /api/resources/categories."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema

from safeops.access import Action, Resource, can_any
from safeops.core.inputs import READ_ERRORS, Id
from safeops.resources.categories import Category
from safeops.resources.selectors import directory_search, schools_for_search

router = Router(tags=["resources"])


class DirectorySearchQuery(Schema):
    q: str = ""
    category: Category | None = None
    school: Id | None = None
    open_now: bool = False
    limit: int = 50


class DirectoryResultOut(Schema):
    id: int
    hsds_id: str
    name: str
    organization: str
    categories: list[str]
    address: str
    phone: str
    latitude: float | None
    longitude: float | None
    distance_km: float | None
    open_now: bool | None
    needs_verification: bool


class DirectoryCategoryOut(Schema):
    code: str
    label: str


@router.get("/categories", response={200: list[DirectoryCategoryOut]} | READ_ERRORS)
def categories(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": code, "label": str(label)} for code, label in Category.choices]


@router.get("/search", response={200: list[DirectoryResultOut]} | READ_ERRORS)
def search(request: HttpRequest, filters: Query[DirectorySearchQuery]) -> list[dict[str, object]]:
    """Active services by category and text, nearest the school first; `open_now` filters."""
    if not can_any(request.user, Action.VIEW, Resource.RESOURCE_DIRECTORY):
        raise PermissionDenied(gettext("Your role sees directory aggregates only."))
    school = None
    if filters.school is not None:
        school = schools_for_search(user=request.user).filter(pk=filters.school).first()
        if school is None:
            raise ValidationError({"school": [gettext("No such school you may see.")]})
    results = directory_search(
        user=request.user,
        text=filters.q,
        category=filters.category.value if filters.category else "",
        school=school,
        open_now=filters.open_now,
        limit=max(1, min(filters.limit, 200)),
    )
    return [
        {
            "id": r.service.pk,
            "hsds_id": r.service.hsds_id,
            "name": r.service.name,
            "organization": r.organization_name,
            "categories": list(r.categories),
            "address": r.address,
            "phone": r.phone,
            "latitude": r.latitude,
            "longitude": r.longitude,
            "distance_km": r.distance_km,
            "open_now": r.open_now,
            "needs_verification": r.stale,
        }
        for r in results
    ]
