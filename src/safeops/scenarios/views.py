from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can_any, viewer_for
from safeops.scenarios.forms import AdoptForm, PlanningCostsForm, ScenarioForm
from safeops.scenarios.models import ScenarioStatus
from safeops.scenarios.selectors import (
    planning_costs_for,
    progress_words,
    scenario_comparison_for_user,
    scenario_get_for_user,
    scenario_layers_for_user,
    scenario_list_for_user,
    staffing_chart_uri,
)
from safeops.scenarios.services import planning_costs_set, scenario_adopt, scenario_create
from safeops.schools.choices import SchoolLevel
from safeops.schools.models import District

NO_PLANNING_ACCESS = gettext_lazy("Planning scenarios are for the district's security leadership.")
NO_ADOPT_ACCESS = gettext_lazy("Only the security chief adopts a plan.")
NO_DISTRICT = gettext_lazy("There is no district to plan for yet; import schools first.")


def _require(request: HttpRequest, action: Action = Action.VIEW) -> None:
    if not can_any(request.user, action, Resource.SCENARIO):
        raise PermissionDenied(NO_PLANNING_ACCESS)


def _district_for(request: HttpRequest) -> District:
    district_id = viewer_for(request.user).district_id
    district = (
        District.objects.filter(pk=district_id).first() if district_id else District.objects.first()
    )
    if district is None:
        raise PermissionDenied(NO_DISTRICT)
    return district


def _ids(request: HttpRequest) -> list[int]:
    return [int(value) for value in request.GET.getlist("ids") if value.isdigit()][:4]


@login_required
@require_http_methods(["GET", "POST"])
def scenario_list_view(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = ScenarioForm(request.POST or None)
    if request.method == "POST":
        _require(request, Action.CHANGE)
        if form.is_valid():
            data = form.cleaned_data
            try:
                scenario = scenario_create(
                    district=_district_for(request), actor=request.user, **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("scenario-detail", scenario_id=scenario.pk)
    scenarios = scenario_list_for_user(user=request.user)[:50]
    can_run = can_any(request.user, Action.CHANGE, Resource.SCENARIO)
    costs = planning_costs_for(district_id=_district_for(request).pk)
    context = {"form": form, "scenarios": scenarios, "can_run": can_run, "costs": costs}
    return render(
        request, "scenarios/scenario_list.html", context, status=400 if form.errors else 200
    )


@login_required
@require_GET
def scenario_detail_view(request: HttpRequest, scenario_id: int) -> HttpResponse:
    _require(request)
    scenario = scenario_get_for_user(user=request.user, scenario_id=scenario_id)
    figures = scenario_comparison_for_user(user=request.user, scenario_ids=[scenario.pk])
    context = {
        "scenario": scenario,
        "figures": figures[0] if figures else None,
        "staffing_chart": staffing_chart_uri(scenario=scenario),
        "running": scenario.status in (ScenarioStatus.QUEUED, ScenarioStatus.RUNNING),
        "progress_message": progress_words(scenario.job.progress_message if scenario.job else ""),
        "dedicated_levels": [
            SchoolLevel(level).label if level in SchoolLevel.values else level
            for level in scenario.dedicated_levels
        ],
        "can_adopt": can_any(request.user, Action.CHANGE, Resource.ZONE),
        "adopt_form": AdoptForm(),
    }
    template = "scenarios/_progress.html" if request.htmx else "scenarios/scenario_detail.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_POST
def scenario_adopt_view(request: HttpRequest, scenario_id: int) -> HttpResponse:
    _require(request)
    if not can_any(request.user, Action.CHANGE, Resource.ZONE):
        raise PermissionDenied(NO_ADOPT_ACCESS)
    scenario = scenario_get_for_user(user=request.user, scenario_id=scenario_id)
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            report = scenario_adopt(
                scenario=scenario,
                effective_on=form.cleaned_data["effective_on"],
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            day = form.cleaned_data["effective_on"]
            messages.success(
                request,
                _("Adopted from %(day)s: %(summary)s")
                % {"day": day.isoformat(), "summary": report.summary()},
            )
    else:
        messages.error(request, _("Choose the date the new zones take effect."))
    return redirect("scenario-detail", scenario_id=scenario.pk)


@login_required
@require_GET
def scenario_compare_view(request: HttpRequest) -> HttpResponse:
    _require(request)
    ids = _ids(request)
    figures = scenario_comparison_for_user(user=request.user, scenario_ids=ids)
    choices = scenario_list_for_user(user=request.user).filter(status=ScenarioStatus.DONE)[:50]
    query = "&".join(f"ids={f.scenario.pk}" for f in figures)
    context = {
        "figures": figures,
        "choices": choices,
        "selected": ids,
        "layers_query": query,
        "map_tiles": settings.MAP_TILES_URL,
    }
    return render(request, "scenarios/scenario_compare.html", context)


@login_required
@require_GET
def scenario_layers_view(request: HttpRequest) -> JsonResponse:
    _require(request)
    return JsonResponse(scenario_layers_for_user(user=request.user, scenario_ids=_ids(request)))


@login_required
@require_http_methods(["GET", "POST"])
def planning_costs_view(request: HttpRequest) -> HttpResponse:
    """The district's unit costs a year, behind every scenario's annual cost."""
    _require(request, Action.CHANGE)
    district = _district_for(request)
    current = planning_costs_for(district_id=district.pk)
    initial = {
        "officer": int(current.officer),
        "vehicle": int(current.vehicle),
        "safety_administrator": int(current.safety_administrator),
    }
    form = PlanningCostsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            planning_costs_set(district=district, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The planning costs are saved."))
            return redirect("scenario-list")
    status = 400 if form.errors else 200
    return render(request, "scenarios/planning_costs.html", {"form": form}, status=status)
