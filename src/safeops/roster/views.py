"""Roster pages: the week (supervisors), my shifts (officers), a shift, the CSV import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can_any, viewer_for
from safeops.core.audit import Actor
from safeops.core.importing import Rejected
from safeops.roster.forms import (
    AssignForm,
    EventForm,
    ImportForm,
    LeaveForm,
    ReliefForm,
    ShiftForm,
    SwapForm,
    aware,
    span,
)
from safeops.roster.models import EventKind, LeaveKind
from safeops.roster.selectors import (
    event_get_for_user,
    leave_get_for_user,
    my_leave,
    my_shifts,
    officers_for_user,
    roster_week_for_user,
    shift_get_for_user,
    week_start,
)
from safeops.roster.services import (
    coverage_assign,
    coverage_event_create,
    leave_cancel,
    leave_record,
    shift_cancel,
    shift_create,
    shift_relieve,
    shift_swap,
    shifts_import_csv,
)
from safeops.schools.models import District

NO_ROSTER = gettext_lazy("Your role does not see the roster.")
NOT_MANAGER = gettext_lazy("Only the SSO supervisors and the security chief change the roster.")


def _manager(request: HttpRequest) -> bool:
    return can_any(request.user, Action.CHANGE, Resource.SHIFT)


def _district(request: HttpRequest) -> District:
    district_id = viewer_for(request.user).district_id
    district = District.objects.filter(pk=district_id).first() if district_id else None
    if district is None:
        raise PermissionDenied(NOT_MANAGER)
    return district


def _week(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return week_start(day)


@login_required
@require_GET
def roster_week_view(request: HttpRequest) -> HttpResponse:
    if not _manager(request):
        if can_any(request.user, Action.VIEW, Resource.SHIFT):
            return redirect("roster-mine")
        raise PermissionDenied(NO_ROSTER)
    week = roster_week_for_user(user=request.user, start=_week(request))
    officers = officers_for_user(user=request.user)
    context = {
        "week": week,
        "shift_form": ShiftForm(officers=officers, prefix="shift"),
        "leave_form": LeaveForm(officers=officers, prefix="leave"),
        "event_form": EventForm(prefix="event"),
        "assign_form": AssignForm(officers=officers, prefix="assign"),
    }
    return render(request, "roster/week.html", context)


def _back_to_week(day: dt.date) -> HttpResponse:
    response = redirect("roster-week")
    response["Location"] += f"?week={week_start(day).isoformat()}"
    return response


def _form_errors(request: HttpRequest, form: Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            text = _("%(field)s: %(message)s") % {"field": label, "message": message}
            messages.error(request, text if label else str(message))


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _add(
    request: HttpRequest,
    form: Form,
    *,
    write: Callable[[dict[str, Any]], object],
    day: str,
    done: str,
) -> HttpResponse:
    """Check the form, write through the service, and go back to the week of `day`."""
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("roster-week")
    data = form.cleaned_data
    try:
        write(data)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, done)
    return _back_to_week(data[day])


def _shift_create(data: dict[str, Any], actor: Actor) -> object:
    starts_at, ends_at = span(data["day"], data["start"], data["end"])
    return shift_create(
        person=data["person"],
        starts_at=starts_at,
        ends_at=ends_at,
        comment=data["comment"],
        actor=actor,
    )


@login_required
@require_POST
def shift_add_view(request: HttpRequest) -> HttpResponse:
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    form = ShiftForm(request.POST, officers=officers_for_user(user=request.user), prefix="shift")
    return _add(
        request,
        form,
        write=lambda data: _shift_create(data, request.user),
        day="day",
        done=_("Shift added."),
    )


@login_required
@require_POST
def leave_add_view(request: HttpRequest) -> HttpResponse:
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    form = LeaveForm(request.POST, officers=officers_for_user(user=request.user), prefix="leave")
    return _add(
        request,
        form,
        write=lambda data: leave_record(
            person=data["person"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            kind=LeaveKind(data["kind"]),
            comment=data["comment"],
            actor=request.user,
        ),
        day="first_day",
        done=_("Leave recorded."),
    )


def _event_create(data: dict[str, Any], district: District, actor: Actor) -> object:
    starts_at, ends_at = span(data["day"], data["start"], data["end"])
    return coverage_event_create(
        district=district,
        title=data["title"],
        kind=EventKind(data["kind"]),
        starts_at=starts_at,
        ends_at=ends_at,
        officers_needed=data["officers_needed"],
        actor=actor,
    )


@login_required
@require_POST
def event_add_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.CHANGE, Resource.COVERAGE_EVENT):
        raise PermissionDenied(NOT_MANAGER)
    return _add(
        request,
        EventForm(request.POST, prefix="event"),
        write=lambda data: _event_create(data, _district(request), request.user),
        day="day",
        done=_("Event added."),
    )


@login_required
@require_POST
def event_assign_view(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_get_for_user(user=request.user, event_id=event_id, action=Action.CHANGE)
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    form = AssignForm(request.POST, officers=officers_for_user(user=request.user), prefix="assign")
    if form.is_valid():
        try:
            coverage_assign(event=event, person=form.cleaned_data["person"], actor=request.user)
        except ValidationError as error:
            _refuse(request, error)
        else:
            messages.success(request, _("Officer assigned to the event."))
    return _back_to_week(timezone.localtime(event.starts_at).date())


@login_required
@require_http_methods(["GET", "POST"])
def shift_detail_view(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = shift_get_for_user(user=request.user, shift_id=shift_id)
    manager = _manager(request)
    officers = officers_for_user(user=request.user).exclude(pk=shift.person_id)
    swap = SwapForm(officers=officers, prefix="swap")
    relief = ReliefForm(officers=officers, prefix="relief")
    if request.method == "POST":
        if not manager:
            raise PermissionDenied(NOT_MANAGER)
        shift = shift_get_for_user(user=request.user, shift_id=shift_id, action=Action.CHANGE)
        day = timezone.localtime(shift.starts_at).date()
        action = request.POST.get("action")
        try:
            if action == "cancel":
                shift_cancel(shift=shift, actor=request.user)
                messages.success(request, _("Shift cancelled."))
                return _back_to_week(day)
            if action == "swap":
                swap = SwapForm(request.POST, officers=officers, prefix="swap")
                if swap.is_valid():
                    shift_swap(shift=shift, person=swap.cleaned_data["person"], actor=request.user)
                    messages.success(request, _("Shift swapped."))
                    return redirect("roster-shift", shift_id=shift.pk)
            if action == "relief":
                relief = ReliefForm(request.POST, officers=officers, prefix="relief")
                if relief.is_valid():
                    at = aware(day, relief.cleaned_data["at"])
                    if at <= shift.starts_at:
                        at += dt.timedelta(days=1)  # the morning after an overnight start
                    shift_relieve(
                        shift=shift,
                        relief=relief.cleaned_data["person"],
                        at=at,
                        actor=request.user,
                    )
                    messages.success(request, _("Relief recorded."))
                    return redirect("roster-shift", shift_id=shift.pk)
        except ValidationError as error:
            _refuse(request, error)
    context = {"shift": shift, "manager": manager, "swap": swap, "relief": relief}
    return render(request, "roster/shift.html", context)


@login_required
@require_GET
def my_shifts_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.SHIFT):
        raise PermissionDenied(NO_ROSTER)
    now = timezone.now()
    shifts = my_shifts(user=request.user, since=now)
    leave = my_leave(user=request.user, since=timezone.localdate())
    current = next((s for s in shifts if s.starts_at <= now < s.ends_at), None)
    context = {"shifts": shifts, "leave": leave, "current": current, "now": now}
    return render(request, "roster/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    form = ImportForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        dry_run = form.cleaned_data["dry_run"]
        try:
            outcome = shifts_import_csv(
                district=_district(request),
                data=form.cleaned_data["file"].read(),
                actor=request.user,
                dry_run=dry_run,
            )
        except Rejected as rejected:
            issues = [str(issue) for issue in rejected.issues]
        else:
            if dry_run:
                message = _("The file is good: %(count)d shift(s) would be added.")
            else:
                message = _("%(count)d shift(s) added.")
            messages.success(request, message % {"count": outcome.result})
            if not dry_run:
                return redirect("roster-week")
    status = 422 if issues else 200
    return render(request, "roster/import.html", {"form": form, "issues": issues}, status=status)


@login_required
@require_POST
def leave_cancel_view(request: HttpRequest, leave_id: int) -> HttpResponse:
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    leave = leave_get_for_user(user=request.user, leave_id=leave_id, action=Action.CHANGE)
    leave_cancel(leave=leave, actor=request.user)
    messages.success(request, _("Leave cancelled."))
    return _back_to_week(leave.first_day)
