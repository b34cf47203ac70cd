from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeops.access import Action, Resource, can_any
from safeops.staff.choices import Role
from safeops.staff.selectors import assignment_list_for_user

NO_STAFF_ACCESS = "Your role sees district aggregates only, not staff assignments."


@login_required
@require_GET
def assignment_list_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.ASSIGNMENT):
        raise PermissionDenied(NO_STAFF_ACCESS)
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    assignments = assignment_list_for_user(user=request.user, role=role)
    context = {"assignments": assignments, "role": role, "roles": Role.choices}
    return render(request, "staff/assignment_list.html", context)
