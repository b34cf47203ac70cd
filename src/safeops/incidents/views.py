from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can_any, schools_with_access
from safeops.core.discipline import DISCIPLINE_OVERRIDE_HINT, DisciplineRefusal
from safeops.incidents.forms import IncidentForm
from safeops.incidents.models import IncidentKind, PersonRole, ReferralTo
from safeops.incidents.selectors import incident_get_for_user, incident_list_for_user
from safeops.incidents.services import (
    PersonInput,
    ReferralInput,
    incident_follow_up_done,
    incident_record,
)

NO_INCIDENT_ACCESS = gettext_lazy("Your role does not see the incident log.")
INCIDENT_LOGGED = gettext_noop("Incident logged.")
FOLLOW_UP_RECORDED = gettext_noop("Follow-up recorded as done.")


@login_required
@require_GET
def incident_list_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.INCIDENT):
        raise PermissionDenied(NO_INCIDENT_ACCESS)
    incidents = incident_list_for_user(user=request.user)[:200]
    may_log = can_any(request.user, Action.CHANGE, Resource.INCIDENT)
    return render(request, "incidents/list.html", {"incidents": incidents, "may_log": may_log})


@login_required
@require_http_methods(["GET", "POST"])
def incident_create_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.CHANGE, Resource.INCIDENT):
        raise PermissionDenied(NO_INCIDENT_ACCESS)
    schools = schools_with_access(request.user, Action.CHANGE, Resource.INCIDENT)
    form = IncidentForm(request.POST or None, schools=schools)
    refusal = None
    may_override = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = [
            PersonInput(PersonRole(role), data[f"people_{role}"])
            for role in PersonRole.values
            if data.get(f"people_{role}")
        ]
        try:
            incident = incident_record(
                school=data["school"],
                kind=IncidentKind(data["kind"]),
                occurred_at=timezone.make_aware(dt.datetime.combine(data["date"], data["time"])),
                place=data["place"],
                summary=data["summary"],
                actions_taken=data["actions_taken"],
                people=people,
                referrals=[ReferralInput(ReferralTo(to)) for to in data["referrals"]],
                support_request_id=data["support_request_id"],
                follow_up_on=data["follow_up_on"],
                actor=request.user,  # type: ignore[arg-type]
                safety_reason=data["safety_reason"],
            )
        except DisciplineRefusal as error:
            refusal = gettext(error.message)
            may_override = error.overridable
        except ValidationError as error:
            if "safety_reason" in getattr(error, "error_dict", {}):
                form.add_error("safety_reason", error.error_dict["safety_reason"])
                may_override = True
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, gettext(INCIDENT_LOGGED))
            return redirect("incident-detail", incident_id=incident.pk)
    status = 422 if refusal else 200
    context = {
        "form": form,
        "refusal": refusal,
        "may_override": may_override,
        "override_hint": gettext(DISCIPLINE_OVERRIDE_HINT),
    }
    return render(request, "incidents/form.html", context, status=status)


@login_required
@require_GET
def incident_detail_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = incident_get_for_user(user=request.user, incident_id=incident_id)
    may_change = can_any(request.user, Action.CHANGE, Resource.INCIDENT)
    return render(
        request, "incidents/detail.html", {"incident": incident, "may_change": may_change}
    )


@login_required
@require_POST
def incident_follow_up_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = incident_get_for_user(
        user=request.user, incident_id=incident_id, action=Action.CHANGE
    )
    try:
        incident_follow_up_done(incident=incident, on=timezone.localdate(), actor=request.user)
    except ValidationError as error:
        messages.error(request, "; ".join(gettext(m) for m in error.messages))
    else:
        messages.success(request, gettext(FOLLOW_UP_RECORDED))
    return redirect("incident-detail", incident_id=incident.pk)
