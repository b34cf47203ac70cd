from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from safeops.access import Action, Resource, can_any
from safeops.schools.choices import SchoolLevel
from safeops.schools.selectors import school_detail_for_user, school_list_for_user
from safeops.zones.selectors import map_layers_for_user

NO_SCHOOL_ACCESS = _("Your role sees district aggregates only, not individual schools.")


def _require_school_access(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.SCHOOL):
        raise PermissionDenied(NO_SCHOOL_ACCESS)


@login_required
@require_GET
def school_list_view(request: HttpRequest) -> HttpResponse:
    _require_school_access(request)
    search = request.GET.get("q", "").strip()[:100]
    level = request.GET.get("level", "")
    if level not in SchoolLevel.values:
        level = ""
    schools = school_list_for_user(user=request.user, search=search, level=level)
    page = Paginator(schools, 50).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "level": level, "levels": SchoolLevel.choices}
    template = "schools/_school_rows.html" if request.htmx else "schools/school_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_GET
def school_detail_view(request: HttpRequest, school_id: int) -> HttpResponse:
    _require_school_access(request)
    detail = school_detail_for_user(user=request.user, school_id=school_id)
    return render(request, "schools/school_detail.html", {"detail": detail})


@login_required
@require_GET
def school_map_view(request: HttpRequest) -> HttpResponse:
    _require_school_access(request)
    config = {
        "layersUrl": "/map/layers.json",
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
    }
    return render(request, "schools/school_map.html", {"map_config": config})


@login_required
@require_GET
def map_layers_view(request: HttpRequest) -> JsonResponse:
    _require_school_access(request)
    return JsonResponse(map_layers_for_user(user=request.user))
