"""School threat teams, the fairness tables and the threat audit log."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from safeops.access import Action, Resource, can_any
from safeops.threats import forms as f
from safeops.threats import services
from safeops.threats.selectors import (
    audit_log_for_lead,
    audit_note_words,
    fairness_for_lead,
    may_manage_teams,
    team_choices_for_user,
    team_member_get_for_user,
    team_status_for_user,
)
from safeops.threats.views.common import NO_ACCESS


@login_required
@require_GET
def teams_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.THREAT_TEAM):
        raise PermissionDenied(NO_ACCESS)
    form = None
    if may_manage_teams(user=request.user):
        schools, people = team_choices_for_user(user=request.user)
        form = f.TeamMemberForm(schools=schools, people=people)
    context = {"teams": team_status_for_user(user=request.user), "form": form}
    return render(request, "threats/teams.html", context)


@login_required
@require_POST
def team_add_view(request: HttpRequest) -> HttpResponse:
    schools, people = team_choices_for_user(user=request.user)
    form = f.TeamMemberForm(request.POST, schools=schools, people=people)
    if not form.is_valid():
        messages.error(request, gettext("Choose a school and a person."))
        return redirect("threats-teams")
    data = form.cleaned_data
    try:
        services.team_member_add(
            school=data["school"],
            person=data["person"],
            team_role=data["team_role"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, gettext("Team member added."))
    return redirect("threats-teams")


@login_required
@require_POST
def team_end_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = team_member_get_for_user(user=request.user, member_id=member_id)
    services.team_member_end(member=member, actor=request.user)
    messages.success(request, gettext("Team membership ended."))
    return redirect("threats-teams")


@login_required
@require_GET
def fairness_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    since = today - dt.timedelta(days=365)
    tables = fairness_for_lead(user=request.user, since=since, until=today)
    return render(
        request, "threats/fairness.html", {"tables": tables, "since": since, "until": today}
    )


@login_required
@require_GET
def audit_view(request: HttpRequest) -> HttpResponse:
    rows = [
        {"entry": entry, "note": audit_note_words(entry.note)}
        for entry in audit_log_for_lead(user=request.user)
    ]
    return render(request, "threats/audit.html", {"rows": rows})
