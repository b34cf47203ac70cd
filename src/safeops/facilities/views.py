from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can, can_any, people_visible_to, schools_with_access
from safeops.facilities.forms import AuditForm, FindingForm, PhotoForm, ReinspectForm, TaskForm
from safeops.facilities.overview import (
    band_bars,
    district_score_in_words,
    score_listing,
    score_map,
)
from safeops.facilities.selectors import (
    audit_get_for_user,
    facility_scores_for_user,
    finding_get_for_user,
    photo_get_for_user,
    school_facilities_for_user,
    task_get_for_user,
)
from safeops.facilities.services import (
    facility_audit_record,
    finding_add,
    finding_photo_add,
    remediation_reinspect,
    remediation_task_create,
)

NO_FACILITY_ACCESS = gettext_lazy("Your role does not see facility audits.")
AUDIT_RECORDED = gettext_noop("Audit recorded: score {score}.")
SAVED = gettext_noop("Saved.")


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.FACILITY_AUDIT):
        raise PermissionDenied(NO_FACILITY_ACCESS)


@login_required
@require_GET
def facility_scores_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    scores = facility_scores_for_user(user=request.user)
    listing = score_listing(request.GET, scores)
    context = {
        "scores": scores,
        "listing": listing,
        "in_words": district_score_in_words(scores),
        "chart": band_bars(listing),
        "map_config": score_map(listing),
    }
    return render(request, "facilities/scores.html", context)


@login_required
@require_GET
def facility_school_view(request: HttpRequest, school_id: int) -> HttpResponse:
    _require_view(request)
    page = school_facilities_for_user(user=request.user, school_id=school_id)
    return render(request, "facilities/school.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def facility_audit_create_view(request: HttpRequest, school_id: int) -> HttpResponse:
    school = (
        schools_with_access(request.user, Action.CHANGE, Resource.FACILITY_AUDIT)
        .filter(pk=school_id)
        .first()
    )
    if school is None:
        raise Http404(gettext("No such school in your scope."))
    page = school_facilities_for_user(user=request.user, school_id=school_id)
    if not page.templates:
        raise Http404(gettext("No checklist template."))
    template = page.templates[0]
    items = list(template.items.all())
    form = AuditForm(
        request.POST or None, items=items, initial={"conducted_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            audit = facility_audit_record(
                school=school,
                template=template,
                conducted_on=form.cleaned_data["conducted_on"],
                results=form.results(),
                notes=form.cleaned_data["notes"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, gettext(AUDIT_RECORDED).format(score=audit.score))
            return redirect("facility-audit", audit_id=audit.pk)
    return render(
        request,
        "facilities/audit_form.html",
        {"school": school, "template": template, "form": form},
    )


def _audit_page(request: HttpRequest, audit_id: int, **forms: object) -> HttpResponse:
    audit = audit_get_for_user(user=request.user, audit_id=audit_id)
    owners = people_visible_to(request.user).filter(
        district_id=audit.school.district_id, active=True
    )
    context = {
        "audit": audit,
        "results": audit.results.select_related("item"),
        "findings": audit.findings.prefetch_related("photos", "tasks__owner"),
        "may_change": can(request.user, Action.CHANGE, audit),
        "finding_form": FindingForm(),
        "photo_form": PhotoForm(),
        "task_form": TaskForm(owners=owners),
        "reinspect_form": ReinspectForm(),
        **forms,
    }
    return render(request, "facilities/audit.html", context)


@login_required
@require_GET
def facility_audit_view(request: HttpRequest, audit_id: int) -> HttpResponse:
    _require_view(request)
    return _audit_page(request, audit_id)


@login_required
@require_POST
def finding_add_view(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = audit_get_for_user(user=request.user, audit_id=audit_id, action=Action.CHANGE)
    form = FindingForm(request.POST)
    if not form.is_valid():
        return _audit_page(request, audit_id, finding_form=form)
    finding_add(audit=audit, actor=request.user, **form.cleaned_data)
    messages.success(request, gettext(SAVED))
    return redirect("facility-audit", audit_id=audit.pk)


@login_required
@require_POST
def finding_photo_view(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = finding_get_for_user(user=request.user, finding_id=finding_id, action=Action.CHANGE)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            finding_photo_add(finding=finding, upload=form.cleaned_data["file"], actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, "; ".join(gettext(m) for m in error.messages))
        else:
            messages.success(request, gettext(SAVED))
    return redirect("facility-audit", audit_id=finding.audit_id)


@login_required
@require_POST
def finding_task_view(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = finding_get_for_user(user=request.user, finding_id=finding_id, action=Action.CHANGE)
    owners = people_visible_to(request.user).filter(district_id=finding.audit.school.district_id)
    form = TaskForm(request.POST, owners=owners)
    if not form.is_valid():
        return _audit_page(request, finding.audit_id, task_form=form)
    try:
        remediation_task_create(finding=finding, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, "; ".join(gettext(m) for m in error.messages))
    else:
        messages.success(request, gettext(SAVED))
    return redirect("facility-audit", audit_id=finding.audit_id)


@login_required
@require_POST
def task_reinspect_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_get_for_user(user=request.user, task_id=task_id, action=Action.CHANGE)
    form = ReinspectForm(request.POST)
    if form.is_valid():
        try:
            remediation_reinspect(
                task=task,
                passed=form.cleaned_data["passed"],
                note=form.cleaned_data["note"],
                on=timezone.localdate(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            messages.error(request, "; ".join(gettext(m) for m in error.messages))
        else:
            messages.success(request, gettext(SAVED))
    return redirect("facility-audit", audit_id=task.finding.audit_id)


@login_required
@require_GET
def finding_photo_file_view(request: HttpRequest, photo_id: int) -> FileResponse:
    photo = photo_get_for_user(user=request.user, photo_id=photo_id)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
