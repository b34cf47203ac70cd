from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from safeops.access import Action, Resource, can_any
from safeops.core.listing import Filter, Sort, listing_from, person_role_filter
from safeops.staff.choices import Role
from safeops.staff.selectors import assignment_list_for_user

NO_STAFF_ACCESS = gettext_lazy("Your role sees district aggregates only, not staff assignments.")


@login_required
@require_GET
def assignment_list_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.ASSIGNMENT):
        raise PermissionDenied(NO_STAFF_ACCESS)
    assignments = assignment_list_for_user(user=request.user)
    listing = listing_from(
        request.GET,
        assignments,
        filters=[
            person_role_filter(Role.choices),
            Filter(
                "place",
                _("Assigned to"),
                [("school", _("A school")), ("zone", _("A zone"))],
                lambda a, v: (a.school_id is not None) == (v == "school"),
                _("Schools and zones"),
            ),
        ],
        sorts=[
            Sort("name", _("Name"), lambda a: (a.person.full_name, a.starts_on)),
            Sort("place", _("School or zone"), lambda a: str(a.school or a.zone)),
            Sort("since", _("Newest first"), lambda a: a.starts_on, reverse=True),
        ],
        per_page=50,
    )
    context = {"listing": listing}
    return render(request, "staff/assignment_list.html", context)
