"""The training office's pages: the LMS upload and the catalog and rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeops.access import viewer_for
from safeops.staff.choices import Role
from safeops.training import engine
from safeops.training.forms import (
    CourseForm,
    ImportForm,
    PolicyForm,
    RequiredTopicForm,
    RequirementForm,
)
from safeops.training.models import RequiredTopic, Requirement
from safeops.training.selectors import (
    catalog_for_user,
    policy_for,
)
from safeops.training.services import (
    TrainingImportError,
    completions_import_csv,
    course_create,
    required_topic_add,
    required_topic_remove,
    requirement_save,
    training_defaults_seed,
    training_policy_update,
)
from safeops.training.views.common import (
    DEFAULTS_LOADED,
    IMPORTED,
    NOT_MANAGER,
    SAVED,
    _district,
    _manager,
)


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read(5_000_000)
        try:
            result = completions_import_csv(
                district=_district(request),
                text=raw.decode("utf-8", errors="replace"),
                actor=request.user,
            )
        except TrainingImportError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                IMPORTED.format(
                    created=result.created, updated=result.updated, unchanged=result.unchanged
                ),
            )
            return redirect("training-district")
    return render(request, "training/import.html", {"form": form, "errors": errors})


@login_required
@require_http_methods(["GET", "POST"])
def catalog_view(request: HttpRequest) -> HttpResponse:
    catalog = catalog_for_user(user=request.user)
    viewer = viewer_for(request.user)
    district_id = viewer.district_id or 0
    forms: dict[str, Any] = {
        "course": CourseForm(district_id=district_id, prefix="course"),
        "requirement": RequirementForm(prefix="req"),
        "policy": PolicyForm(
            prefix="policy",
            initial={
                "year_start_month": catalog.policy.year_start_month,
                "lapse_grace_days": catalog.policy.lapse_grace_days,
                "topic_reminder_days": catalog.policy.topic_reminder_days,
            },
        ),
        "topic": RequiredTopicForm(district_id=district_id, prefix="topic"),
    }
    if request.method == "POST":
        if not catalog.may_change:
            raise PermissionDenied(NOT_MANAGER)
        response = _catalog_post(request, forms, district_id)
        if response is not None:
            return response
    return render(request, "training/catalog.html", {"catalog": catalog, "forms": forms})


def _catalog_post(
    request: HttpRequest, forms: dict[str, Any], district_id: int
) -> HttpResponse | None:
    action = request.POST.get("action", "")
    district = _district(request)
    user = request.user
    form: Any
    try:
        if action == "defaults":
            year = engine.year_key(
                timezone.localdate(), policy_for(district_id=district.pk).year_start_month
            )
            count = training_defaults_seed(district=district, actor=user, from_year=year)
            messages.success(request, DEFAULTS_LOADED.format(count=count))
            return redirect("training-catalog")
        if action == "course":
            form = forms["course"] = CourseForm(
                request.POST, district_id=district_id, prefix="course"
            )
            if form.is_valid():
                course_create(district=district, actor=user, **form.cleaned_data)
                messages.success(request, SAVED)
                return redirect("training-catalog")
        elif action == "requirement":
            form = forms["requirement"] = RequirementForm(request.POST, prefix="req")
            if form.is_valid():
                data = form.cleaned_data
                requirement_save(
                    district=district,
                    actor=user,
                    role=Role(data["role"]),
                    from_year=data["from_year"],
                    credit=data["credit"],
                    name=data["name"],
                    hours=data["hours"],
                    lapse_when_unmet=data["lapse_when_unmet"],
                )
                messages.success(request, SAVED)
                return redirect("training-catalog")
        elif action == "topic":
            form = forms["topic"] = RequiredTopicForm(
                request.POST, district_id=district_id, prefix="topic"
            )
            requirement = Requirement.objects.filter(
                district_id=district_id, pk=request.POST.get("requirement") or 0
            ).first()
            if requirement is None:
                raise Http404
            if form.is_valid():
                required_topic_add(requirement=requirement, actor=user, **form.cleaned_data)
                messages.success(request, SAVED)
                return redirect("training-catalog")
        elif action == "remove-topic":
            item = RequiredTopic.objects.filter(
                district_id=district_id, pk=request.POST.get("item") or 0
            ).first()
            if item is None:
                raise Http404
            required_topic_remove(item=item, actor=user)
            messages.success(request, SAVED)
            return redirect("training-catalog")
        elif action == "policy":
            form = forms["policy"] = PolicyForm(request.POST, prefix="policy")
            if form.is_valid():
                training_policy_update(district=district, actor=user, **form.cleaned_data)
                messages.success(request, SAVED)
                return redirect("training-catalog")
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return None
