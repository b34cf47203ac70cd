"""Patrol settings pages: the district's rules, bell times and special days, patrol points.

The chief changes them; the dispatchers read them. Every write goes through `setup.py`, the
services the CSV imports use.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from safeops.patrol.forms import (
    BellForm,
    OverrideForm,
    PointForm,
    SettingsForm,
    minutes_of,
    show_errors,
)
from safeops.patrol.models import BellOverride
from safeops.patrol.selectors import PatrolSetup, setup_for_user
from safeops.patrol.setup import (
    bell_override_delete,
    bell_override_set,
    bell_schedule_set,
    patrol_point_save,
    patrol_settings_update,
)

CHIEF_ONLY = gettext_lazy("Only the security chief changes the patrol settings.")
SOURCE = "settings page"


def _setup(request: HttpRequest) -> PatrolSetup:
    setup = setup_for_user(user=request.user, today=timezone.localdate())
    if request.method == "POST" and not setup.may_change:
        raise PermissionDenied(CHIEF_ONLY)
    return setup


def _saved(request: HttpRequest, form: forms.Form, write: Callable[[], object]) -> bool:
    """Write through the service when the form is good; its problems go on the form."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as error:
        show_errors(form, error)
        return False
    messages.success(request, _("Saved."))
    return True


def _page(
    request: HttpRequest, template: str, context: dict[str, object], *forms_shown: forms.Form
) -> HttpResponse:
    status = 422 if any(f.is_bound and f.errors for f in forms_shown) else 200
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    """Windows around the bells, the geofence, coverage targets, the long-call threshold."""
    setup = _setup(request)
    form = SettingsForm.of(setup.rules)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if _saved(
            request,
            form,
            lambda: patrol_settings_update(
                district_id=setup.district_id, values=form.values(), actor=request.user
            ),
        ):
            return redirect("patrol-settings")
    return _page(request, "patrol/settings.html", {"setup": setup, "form": form}, form)


@login_required
@require_http_methods(["GET", "POST"])
def bells_view(request: HttpRequest) -> HttpResponse:
    """Each school's bells, and the late-start, early-release and no-school days ahead."""
    setup = _setup(request)
    schools = setup.school_choices
    bell_form = BellForm(schools=schools, prefix="bell")
    override_form = OverrideForm(schools=schools, prefix="day")
    action = request.POST.get("action", "")
    if action == "bell":
        bell_form = BellForm(request.POST, schools=schools, prefix="bell")
        if _saved(request, bell_form, lambda: _bell(request, bell_form)):
            return redirect("patrol-bells")
    elif action == "override":
        override_form = OverrideForm(request.POST, schools=schools, prefix="day")
        if _saved(request, override_form, lambda: _override(request, setup, override_form)):
            return redirect("patrol-bells")
    elif action == "delete-override":
        override = get_object_or_404(
            BellOverride, pk=request.POST.get("override") or 0, district_id=setup.district_id
        )
        bell_override_delete(override=override, actor=request.user)
        messages.success(request, _("Special day removed."))
        return redirect("patrol-bells")
    context = {"setup": setup, "bell_form": bell_form, "override_form": override_form}
    return _page(request, "patrol/bells.html", context, bell_form, override_form)


def _bell(request: HttpRequest, form: BellForm) -> object:
    data = form.cleaned_data
    return bell_schedule_set(
        school=data["school"],
        start_minute=minutes_of(data["start_minute"]) or 0,
        end_minute=minutes_of(data["end_minute"]) or 0,
        actor=request.user,
        note=SOURCE,
    )


def _override(request: HttpRequest, setup: PatrolSetup, form: OverrideForm) -> object:
    data = form.cleaned_data
    return bell_override_set(
        district_id=setup.district_id,
        school=data["school"],
        day=data["day"],
        kind=data["kind"],
        shift_minutes=0 if data["kind"] == "closed" else data["shift_minutes"] or 0,
        note=data["note"],
        actor=request.user,
        source=SOURCE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def points_view(request: HttpRequest) -> HttpResponse:
    """Patrol points that are not schools: bus stops with their times, parks, corridors."""
    setup = _setup(request)
    form = PointForm()
    if request.method == "POST":
        form = PointForm(request.POST)
        if _saved(
            request,
            form,
            lambda: patrol_point_save(
                district_id=setup.district_id,
                name=form.cleaned_data["name"],
                values=form.values(),
                actor=request.user,
                note=SOURCE,
            ),
        ):
            return redirect("patrol-points")
    return _page(request, "patrol/points.html", {"setup": setup, "form": form}, form)
