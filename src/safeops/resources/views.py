"""Directory pages: search (with map), a service's detail and verification, stale records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from safeops.access import Action, Resource, can_any
from safeops.core.listing import Sort, listing_from
from safeops.resources.categories import Category
from safeops.resources.models import Organization, Service
from safeops.resources.selectors import (
    directory_search,
    is_stale,
    organization_get_for_user,
    schools_for_search,
    service_detail_for_user,
    stale_records,
)
from safeops.resources.services import record_verify

NO_DIRECTORY_ACCESS = gettext_lazy("Your role sees directory aggregates only.")
NO_CHANGE_ACCESS = gettext_lazy("Your role may not change the directory.")
VERIFIED = gettext_lazy("Recorded as verified today.")


def _require(request: HttpRequest, action: Action) -> None:
    if not can_any(request.user, action, Resource.RESOURCE_DIRECTORY):
        raise PermissionDenied(NO_DIRECTORY_ACCESS if action == Action.VIEW else NO_CHANGE_ACCESS)


@login_required
@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    """Form fields (stable ids and names): q, category, school, open_now."""
    _require(request, Action.VIEW)
    schools = list(schools_for_search(user=request.user))
    school = None
    school_param = request.GET.get("school", "")
    if school_param.isdigit():
        school = next((s for s in schools if s.pk == int(school_param)), None)
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    results = directory_search(
        user=request.user,
        text=request.GET.get("q", "")[:200],
        category=category,
        school=school,
        open_now=request.GET.get("open_now") == "1",
    )
    sorts: list[Sort[Any]] = [
        Sort("best", _("Nearest or best match"), lambda r: 0),
        Sort("name", _("Name"), lambda r: r.service.name.lower()),
        Sort("open", _("Open now first"), lambda r: r.open_now is not True),
    ]
    listing = listing_from(
        request.GET, results, sorts=sorts, per_page=15, keep=("q", "category", "school", "open_now")
    )
    first = listing.page.start_index()
    points: dict[str, Any] = {
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
        "school": None
        if school is None
        else {"name": school.name, "lat": school.latitude, "lon": school.longitude},
        "services": [
            {
                "id": r.service.pk,
                "number": first + index,
                "name": r.service.name,
                "lat": r.latitude,
                "lon": r.longitude,
                "url": f"{r.service.pk}/",
            }
            for index, r in enumerate(listing.items)
            if r.latitude is not None and r.longitude is not None
        ],
    }
    return render(
        request,
        "resources/search.html",
        {
            "listing": listing,
            "first": first,
            "schools": schools,
            "school": school,
            "categories": Category.choices,
            "category": category,
            "q": request.GET.get("q", ""),
            "open_now": request.GET.get("open_now") == "1",
            "map_config": points,
            "category_labels": dict(Category.choices),
        },
    )


@login_required
@require_GET
def service_detail_view(request: HttpRequest, service_id: int) -> HttpResponse:
    _require(request, Action.VIEW)
    try:
        detail = service_detail_for_user(user=request.user, pk=service_id)
    except Service.DoesNotExist:
        raise Http404 from None
    detail["may_change"] = can_any(request.user, Action.CHANGE, Resource.RESOURCE_DIRECTORY)
    detail["stale"] = is_stale(detail["service"].last_verified_on)
    detail["category_labels"] = [str(Category(code).label) for code in detail["categories"]]
    return render(request, "resources/service_detail.html", detail)


@login_required
@require_POST
def service_verify_view(request: HttpRequest, service_id: int) -> HttpResponse:
    _require(request, Action.CHANGE)
    try:
        detail = service_detail_for_user(user=request.user, pk=service_id)
    except Service.DoesNotExist:
        raise Http404 from None
    record_verify(record=detail["service"], actor=request.user)
    messages.success(request, VERIFIED)
    return redirect("resource-detail", service_id=service_id)


@login_required
@require_POST
def organization_verify_view(request: HttpRequest, organization_id: int) -> HttpResponse:
    _require(request, Action.CHANGE)
    try:
        organization = organization_get_for_user(user=request.user, pk=organization_id)
    except Organization.DoesNotExist:
        raise Http404 from None
    record_verify(record=organization, actor=request.user)
    messages.success(request, VERIFIED)
    return redirect("resource-stale")


@login_required
@require_GET
def stale_view(request: HttpRequest) -> HttpResponse:
    _require(request, Action.VIEW)
    records = stale_records(user=request.user)
    may_change = can_any(request.user, Action.CHANGE, Resource.RESOURCE_DIRECTORY)
    return render(
        request,
        "resources/stale.html",
        {**records, "days": settings.RESOURCE_STALE_AFTER_DAYS, "may_change": may_change},
    )
