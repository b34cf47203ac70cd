from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from safeops.access import Action, Resource, can_any
from safeops.staff.selectors import assignment_list_for_user
from safeops.zones.selectors import zone_detail_for_user, zone_list_for_user

NO_ZONE_ACCESS = _("Your role sees district aggregates only, not individual zones.")


@login_required
@require_GET
def zone_list_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.ZONE):
        raise PermissionDenied(NO_ZONE_ACCESS)
    zones = list(zone_list_for_user(user=request.user))
    officers: dict[int, list[str]] = {}
    for assignment in assignment_list_for_user(user=request.user).filter(zone__isnull=False):
        if assignment.zone_id is not None:
            officers.setdefault(assignment.zone_id, []).append(assignment.person.full_name)
    rows = [(zone, officers.get(zone.pk, [])) for zone in zones]
    return render(request, "zones/zone_list.html", {"rows": rows})


@login_required
@require_GET
def zone_detail_view(request: HttpRequest, zone_id: int) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.ZONE):
        raise PermissionDenied(NO_ZONE_ACCESS)
    detail = zone_detail_for_user(user=request.user, zone_id=zone_id)
    return render(request, "zones/zone_detail.html", {"detail": detail})
