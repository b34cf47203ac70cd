"""Pages: the public tip line (no login, no cookie, no session) and the threat team's pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can_any, restrict, viewer_for
from safeops.core.clientaddr import client_address
from safeops.core.crypto import decrypt_bytes
from safeops.core.discipline import DisciplineRefusal
from safeops.core.origin import Origin, request_origin
from safeops.incidents.models import Incident
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.threats import forms as f
from safeops.threats import services, tips
from safeops.threats.choices import (
    REPORTER_VISIBLE,
    CaseSource,
    RecordKind,
    Stage,
    TipCloseReason,
    TipEventKind,
    Urgency,
    allowed_next,
    requirement_label,
)
from safeops.threats.guard import DISCIPLINE_OVERRIDE_HINT_TIP
from safeops.threats.models import ThreatCase, Tip, TipAttachment
from safeops.threats.scopes import is_threat_lead
from safeops.threats.selectors import (
    audit_log_for_lead,
    case_get_for_user,
    dashboard_for_user,
    fairness_for_lead,
    team_member_get_for_user,
    team_status_for_user,
    tip_get_for_user,
)

NO_ACCESS = "Your role has no threat assessment access."


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # No referrer to other sites; our own forms then send their true Origin (with "no-referrer"
    # a browser sends "Origin: null"), which the tip line's same-origin check needs.
    response["Referrer-Policy"] = "same-origin"
    return response


def _cross_site(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A tip-line post from another site: refused, with an empty form (never the posted text)."""
    context = {**context, "cross_site": tips.CROSS_SITE_REFUSED}
    return _private(render(request, template, context, status=403))


# --- Public tip line ---------------------------------------------------------------------------


def _public_district() -> District:
    district = District.objects.order_by("pk").first()
    if district is None:
        raise PermissionDenied("The tip line is not set up yet.")
    return district


@csrf_exempt  # no session to protect, and a CSRF cookie is one cookie more on the reporter
@require_http_methods(["GET", "POST"])
def tip_submit_view(request: HttpRequest) -> HttpResponse:
    district = _public_district()
    schools = School.objects.filter(district=district, active=True).order_by("name")
    if request.method == "POST" and request_origin(request) is not Origin.SAME:
        return _cross_site(request, "threats/tip_form.html", {"form": f.TipForm(schools=schools)})
    form = f.TipForm(request.POST or None, request.FILES or None, schools=schools)
    refusal = None
    may_override = False
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = tips.tip_submit(
                district=district,
                school=data["school"],
                place=data["place"],
                what=data["what"],
                when_text=data["when_text"],
                urgency=Urgency(data["urgency"]),
                attachments=request.FILES.getlist("attachments"),
                address=client_address(request),
                safety_reason=data["safety_reason"],
            )
        except DisciplineRefusal as error:
            refusal, status = gettext(error.message), 422
            may_override = error.overridable
        except tips.RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            status = 422
        else:
            return _private(
                render(
                    request,
                    "threats/tip_receipt.html",
                    {"code": receipt.code, "phrase": receipt.phrase, "tip": receipt.tip},
                )
            )
    elif request.method == "POST":
        status = 422
    context = {
        "form": form,
        "refusal": refusal,
        "may_override": may_override or bool(form["safety_reason"].errors),
        "override_hint": gettext(DISCIPLINE_OVERRIDE_HINT_TIP),
    }
    return _private(render(request, "threats/tip_form.html", context, status=status))


def _reporter_page(
    request: HttpRequest, tip: Tip, phrase: str, answer_form: f.AnswerForm | None = None
) -> HttpResponse:
    events = [
        {
            "at": e.at,
            "kind": e.get_kind_display(),
            # A closing event's text is the reason's label, stored in English: translate it.
            "body": gettext(e.body) if e.kind == TipEventKind.CLOSED else e.body,
        }
        for e in tip.events.all()
        if e.kind in REPORTER_VISIBLE
    ]
    answer_form = answer_form or f.AnswerForm(initial={"code": tip.code, "phrase": phrase})
    return _private(
        render(
            request,
            "threats/tip_status.html",
            {"tip": tip, "events": events, "answer_form": answer_form},
        )
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def tip_status_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request_origin(request) is not Origin.SAME:
        return _cross_site(request, "threats/tip_lookup.html", {"form": f.LookupForm()})
    form = f.LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tip = tips.tip_lookup(
                code=form.cleaned_data["code"],
                phrase=form.cleaned_data["phrase"],
                address=client_address(request),
            )
        except tips.RateLimited as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return _reporter_page(request, tip, form.cleaned_data["phrase"])
    return _private(
        render(
            request,
            "threats/tip_lookup.html",
            {"form": form},
            status=422 if request.method == "POST" else 200,
        )
    )


@csrf_exempt
@require_POST
def tip_answer_view(request: HttpRequest) -> HttpResponse:
    if request_origin(request) is not Origin.SAME:
        return _cross_site(request, "threats/tip_lookup.html", {"form": f.LookupForm()})
    form = f.AnswerForm(request.POST)
    if not form.is_valid():
        return _private(render(request, "threats/tip_lookup.html", {"form": form}, status=422))
    try:
        tip = tips.tip_lookup(
            code=form.cleaned_data["code"],
            phrase=form.cleaned_data["phrase"],
            address=client_address(request),
        )
        tips.tip_answer(tip=tip, answer=form.cleaned_data["answer"])
    except (ValidationError, tips.RateLimited) as error:
        form.add_error(None, getattr(error, "messages", [str(error)]))
        return _private(render(request, "threats/tip_lookup.html", {"form": form}, status=422))
    return _reporter_page(request, tip, form.cleaned_data["phrase"])


# --- Staff -------------------------------------------------------------------------------------


def _require_any(request: HttpRequest) -> None:
    user = request.user
    if not (
        can_any(user, Action.VIEW, Resource.TIP) or can_any(user, Action.VIEW, Resource.THREAT_CASE)
    ):
        raise PermissionDenied(NO_ACCESS)


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    board = dashboard_for_user(user=request.user)
    return render(request, "threats/dashboard.html", {"board": board})


@login_required
@require_GET
def tip_detail_view(request: HttpRequest, tip_id: int) -> HttpResponse:
    tip = tip_get_for_user(user=request.user, tip_id=tip_id)
    context = {
        "tip": tip,
        "events": tip.events.select_related("author"),
        "attachments": tip.attachments.all(),
        "cases": restrict(ThreatCase.objects.filter(tip=tip), request.user),
        "triage_form": f.TriageForm(),
        "question_form": f.QuestionForm(),
        "note_form": f.NoteForm(),
        "close_form": f.TipCloseForm(),
        "dispatch_link": tips.dispatch_link(tip),
    }
    return render(request, "threats/tip_detail.html", context)


@login_required
@require_POST
def tip_action_view(request: HttpRequest, tip_id: int, action: str) -> HttpResponse:
    tip = tip_get_for_user(user=request.user, tip_id=tip_id, action=Action.CHANGE)
    actor = request.user
    handlers: dict[str, tuple[Callable[[Any], forms.Form], Callable[[dict[str, Any]], object]]] = {
        "triage": (
            f.TriageForm,
            lambda d: tips.tip_triage(
                tip=tip, actor=actor, imminent=bool(d["imminent"]), note=str(d["note"])
            ),
        ),
        "question": (
            f.QuestionForm,
            lambda d: tips.tip_ask(tip=tip, actor=actor, question=str(d["question"])),
        ),
        "note": (f.NoteForm, lambda d: tips.tip_note(tip=tip, actor=actor, note=str(d["note"]))),
        "close": (
            f.TipCloseForm,
            lambda d: tips.tip_close(
                tip=tip, actor=actor, reason=TipCloseReason(str(d["reason"])), note=str(d["note"])
            ),
        ),
    }
    if action not in handlers:
        raise PermissionDenied("Unknown action.")
    _run(request, *handlers[action])
    return redirect("threats-tip", tip_id=tip.pk)


def _run(
    request: HttpRequest,
    form_class: Callable[[Any], forms.Form],
    call: Callable[[dict[str, Any]], object],
) -> bool:
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items()),
        )
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return False
    except DisciplineRefusal as error:
        messages.error(request, error.message)
        return False
    messages.success(request, "Saved.")
    return True


@login_required
@require_GET
def attachment_view(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(TipAttachment, pk=attachment_id)
    tip_get_for_user(user=request.user, tip_id=attachment.tip_id)  # access + audited read
    with attachment.file.open("rb") as handle:
        data = decrypt_bytes(handle.read())
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="tip-{attachment.tip_id}-{attachment.pk}"'
    )
    return _private(response)


@login_required
@require_http_methods(["GET", "POST"])
def case_open_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.CHANGE, Resource.THREAT_CASE):
        raise PermissionDenied(NO_ACCESS)
    viewer = viewer_for(request.user)
    tip = None
    tip_id = request.GET.get("tip") or request.POST.get("tip_id")
    if tip_id and str(tip_id).isdigit():
        tip = tip_get_for_user(user=request.user, tip_id=int(tip_id), action=Action.CHANGE)
    schools = School.objects.filter(active=True).order_by("name")
    if not (viewer.is_superuser or is_threat_lead(person_id=viewer.person_id)):
        schools = schools.filter(pk__in=viewer.school_ids)
    if viewer.district_id is not None:
        schools = schools.filter(district_id=viewer.district_id)
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
            incident = restrict(
                Incident.objects.filter(pk=data["incident_id"]), request.user
            ).first()
            if incident is None:
                form.add_error("incident_id", "No incident with that number in your scope.")
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
                    disability_status=data["disability_status"] or "",
                    race_ethnicity=data["race_ethnicity"] or "",
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
                messages.success(request, "Case opened.")
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
    case = case_get_for_user(user=request.user, case_id=case_id)
    may_change = restrict(
        ThreatCase.objects.filter(pk=case.pk), request.user, Action.CHANGE
    ).exists()
    people = (
        Person.objects.filter(district_id=case.district_id, active=True)
        .exclude(role=Role.SSO)
        .order_by("full_name")
    )
    officers = Person.objects.filter(
        district_id=case.district_id, active=True, role=Role.SSO
    ).order_by("full_name")
    next_stages = [
        (Stage(s), [requirement_label(m) for m in services.missing_requirements(case, Stage(s))])
        for s in allowed_next(case.stage)
    ]
    move_form = f.MoveForm()
    cast(forms.ChoiceField, move_form.fields["to"]).choices = [
        (s.value, s.label) for s, _ in next_stages
    ]
    context = {
        "case": case,
        "may_change": may_change and case.is_open,
        "records": case.records.select_related("author"),
        "team": case.team.select_related("person"),
        "team_candidates": people,
        "consultations": case.consultations.select_related("officer", "recorded_by"),
        "tasks": case.tasks.select_related("owner"),
        "follow_ups": case.follow_ups.all(),
        "next_stages": next_stages,
        "record_form": f.RecordForm(),
        "move_form": move_form,
        "task_form": f.TaskForm(
            people=people, initial={"due_on": timezone.localdate() + dt.timedelta(days=7)}
        ),
        "consult_form": f.ConsultForm(officers=officers),
        "follow_up_form": f.FollowUpForm(),
        "record_kinds": RecordKind,
    }
    return render(request, "threats/case_detail.html", context)


@login_required
@require_POST
def case_action_view(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, action=Action.CHANGE)
    actor = request.user
    people = Person.objects.filter(district_id=case.district_id, active=True)
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
    handlers: dict[str, tuple[Callable[[Any], forms.Form], Callable[[dict[str, Any]], object]]] = {
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
        raise PermissionDenied("Unknown action.")
    _run(request, *handlers[action])
    return redirect("threats-case", case_id=case.pk)


@login_required
@require_GET
def teams_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.THREAT_TEAM):
        raise PermissionDenied(NO_ACCESS)
    viewer = viewer_for(request.user)
    may_manage = viewer.is_superuser or viewer.role == Role.SECURITY_CHIEF
    may_manage = may_manage or is_threat_lead(person_id=viewer.person_id)
    form = None
    if may_manage:
        schools = School.objects.filter(active=True).order_by("name")
        people = Person.objects.filter(active=True).order_by("full_name")
        if viewer.district_id is not None:
            schools = schools.filter(district_id=viewer.district_id)
            people = people.filter(district_id=viewer.district_id)
        form = f.TeamMemberForm(schools=schools, people=people)
    context = {"teams": team_status_for_user(user=request.user), "form": form}
    return render(request, "threats/teams.html", context)


@login_required
@require_POST
def team_add_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    schools = School.objects.filter(active=True)
    people = Person.objects.filter(active=True)
    if viewer.district_id is not None:
        schools = schools.filter(district_id=viewer.district_id)
        people = people.filter(district_id=viewer.district_id)
    form = f.TeamMemberForm(request.POST, schools=schools, people=people)
    if not form.is_valid():
        messages.error(request, "Choose a school and a person.")
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
        messages.success(request, "Team member added.")
    return redirect("threats-teams")


@login_required
@require_POST
def team_end_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = team_member_get_for_user(user=request.user, member_id=member_id)
    services.team_member_end(member=member, actor=request.user)
    messages.success(request, "Team membership ended.")
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
    return render(request, "threats/audit.html", {"entries": audit_log_for_lead(user=request.user)})
