"""A threat case: opened, read, and worked on (records, moves, tasks, consultations)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can_any
from safeops.core.discipline import DisciplineRefusal
from safeops.staff.choices import Role
from safeops.threats import forms as f
from safeops.threats import services
from safeops.threats.choices import (
    CaseSource,
    RecordKind,
    Stage,
)
from safeops.threats.guard import DISCIPLINE_OVERRIDE_HINT_TIP
from safeops.threats.selectors import (
    case_detail_for_user,
    case_get_for_user,
    case_people,
    case_schools_for_user,
    incident_in_scope,
    tip_get_for_user,
)
from safeops.threats.views.common import NO_ACCESS, Handlers, _run


@login_required
@require_http_methods(["GET", "POST"])
def case_open_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.CHANGE, Resource.THREAT_CASE):
        raise PermissionDenied(NO_ACCESS)
    tip = None
    tip_id = request.GET.get("tip") or request.POST.get("tip_id")
    if tip_id and str(tip_id).isdigit():
        tip = tip_get_for_user(user=request.user, tip_id=int(tip_id), action=Action.CHANGE)
    schools = case_schools_for_user(user=request.user)
    initial: dict[str, Any] = {"source": CaseSource.TIP if tip else CaseSource.STAFF}
    if tip is not None:
        initial.update(tip_id=tip.pk, school=tip.school_id, concern=tip.what)
    incident_id = request.GET.get("incident", "")
    if incident_id.isdigit():
        initial.update(source=CaseSource.INCIDENT, incident_id=int(incident_id))
    form = f.CaseOpenForm(request.POST or None, schools=schools, initial=initial)
    refusal = None
    may_override = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = None
        if data["incident_id"]:
            incident = incident_in_scope(user=request.user, incident_id=data["incident_id"])
            if incident is None:
                missing = gettext("No incident with that number in your scope.")
                form.add_error("incident_id", missing)
        if not form.errors:
            try:
                case = services.case_open(
                    school=data["school"],
                    source=CaseSource(data["source"]),
                    subject=data["subject"],
                    grade=data["grade"],
                    concern=data["concern"],
                    tip=tip,
                    incident=incident,
                    disability_status=data["disability_status"],
                    race_ethnicity=data["race_ethnicity"],
                    actor=request.user,
                    safety_reason=data["safety_reason"],
                )
            except DisciplineRefusal as error:
                refusal = gettext(error.message)
                may_override = error.overridable
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, gettext("Case opened."))
                return redirect("threats-case", case_id=case.pk)
    context = {
        "form": form,
        "tip": tip,
        "refusal": refusal,
        "may_override": may_override or bool(form["safety_reason"].errors),
        "override_hint": gettext(DISCIPLINE_OVERRIDE_HINT_TIP),
    }
    return render(request, "threats/case_open.html", context)


@login_required
@require_GET
def case_detail_view(request: HttpRequest, case_id: int) -> HttpResponse:
    detail = case_detail_for_user(user=request.user, case_id=case_id)
    move_form = f.MoveForm()
    cast(forms.ChoiceField, move_form.fields["to"]).choices = [
        (s.value, s.label) for s, _ in detail.next_stages
    ]
    context = {
        "case": detail.case,
        "may_change": detail.may_change,
        "records": detail.records,
        "team": detail.team,
        "team_candidates": detail.staff,
        "consultations": detail.consultations,
        "tasks": detail.tasks,
        "follow_ups": detail.follow_ups,
        "next_stages": detail.next_stages,
        "record_form": f.RecordForm(),
        "move_form": move_form,
        "task_form": f.TaskForm(
            people=detail.staff, initial={"due_on": timezone.localdate() + dt.timedelta(days=7)}
        ),
        "consult_form": f.ConsultForm(officers=detail.officers),
        "follow_up_form": f.FollowUpForm(),
        "record_kinds": RecordKind,
    }
    return render(request, "threats/case_detail.html", context)


@login_required
@require_POST
def case_action_view(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, action=Action.CHANGE)
    actor = request.user
    people = case_people(case=case)
    if action == "team":
        person = get_object_or_404(people, pk=request.POST.get("person_id") or 0)
        try:
            services.case_team_add(case=case, person=person, actor=actor)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        return redirect("threats-case", case_id=case.pk)
    if action == "task-done":
        task = get_object_or_404(case.tasks, pk=request.POST.get("task_id") or 0)
        try:
            services.task_done(task=task, actor=actor)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        return redirect("threats-case", case_id=case.pk)
    handlers: Handlers = {
        "record": (
            f.RecordForm,
            lambda d: services.case_record_add(
                case=case, kind=RecordKind(str(d["kind"])), body=str(d["body"]), actor=actor
            ),
        ),
        "move": (
            f.MoveForm,
            lambda d: services.case_move(
                case=case,
                to=Stage(str(d["to"])),
                actor=actor,
                reason=str(d["reason"] or ""),
                follow_up_every_days=d["follow_up_every_days"],
                override_reason=str(d["override_reason"] or ""),
            ),
        ),
        "task": (
            lambda data: f.TaskForm(data, people=people.exclude(role=Role.SSO)),
            lambda d: services.task_add(
                case=case,
                title=str(d["title"]),
                owner=d["owner"],
                due_on=d["due_on"],
                details=str(d["details"]),
                actor=actor,
            ),
        ),
        "consult": (
            lambda data: f.ConsultForm(data, officers=people.filter(role=Role.SSO)),
            lambda d: services.case_consult(
                case=case,
                officer=d["officer"],
                consulted_with=str(d["consulted_with"]),
                reason=str(d["reason"]),
                actor=actor,
            ),
        ),
        "follow-up": (
            f.FollowUpForm,
            lambda d: services.follow_up_record(case=case, note=str(d["note"]), actor=actor),
        ),
    }
    if action not in handlers:
        raise PermissionDenied(gettext("Unknown action."))
    _run(request, *handlers[action])
    return redirect("threats-case", case_id=case.pk)
