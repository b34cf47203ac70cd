from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can_any, restrict, schools_with_access
from safeops.accounts.models import User
from safeops.drills.models import SchoolYear
from safeops.safetyplans.forms import (
    AttachmentForm,
    BriefingForm,
    PlanCreateForm,
    PlanSectionsForm,
    ReturnForm,
    ReviewForm,
    SharedForm,
)
from safeops.safetyplans.models import SECTION_KEYS
from safeops.safetyplans.selectors import (
    attachment_get_for_user,
    plan_compare_for_user,
    plan_detail_for_user,
    plan_get_for_user,
    plan_list_for_user,
)
from safeops.safetyplans.services import (
    attachment_add,
    plan_approve,
    plan_create,
    plan_may_approve,
    plan_may_draft,
    plan_record_briefing,
    plan_record_review,
    plan_record_shared,
    plan_return,
    plan_save_version,
    plan_submit,
)

NO_PLAN_ACCESS = gettext_lazy(
    "Safety plans are not public: only the school's staff, its SSO and district roles see them."
)
PLAN_SAVED = gettext_noop("Version {number} saved.")
PLAN_SUBMITTED = gettext_noop("Submitted to the principal for approval.")
PLAN_APPROVED = gettext_noop("Plan approved.")
PLAN_RETURNED = gettext_noop("Plan returned to the Safety Administrator.")
STEP_RECORDED = gettext_noop("Recorded.")
FILE_ADDED = gettext_noop("File added.")


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.SAFETY_PLAN):
        raise PermissionDenied(NO_PLAN_ACCESS)


@login_required
@require_http_methods(["GET", "POST"])
def plan_list_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    schools = schools_with_access(request.user, Action.CHANGE, Resource.SAFETY_PLAN)
    years = restrict(SchoolYear.objects.all(), request.user)
    form = PlanCreateForm(request.POST or None, schools=schools, years=years)
    if request.method == "POST":
        if not can_any(request.user, Action.CHANGE, Resource.SAFETY_PLAN):
            raise PermissionDenied(NO_PLAN_ACCESS)
        if form.is_valid():
            try:
                plan = plan_create(
                    school=form.cleaned_data["school"],
                    school_year=form.cleaned_data["school_year"],
                    actor=cast(User, request.user),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                return redirect("plan-edit", plan_id=plan.pk)
    plans = plan_list_for_user(user=request.user)
    return render(
        request,
        "safetyplans/list.html",
        {
            "plans": plans,
            "form": form,
            "may_create": can_any(request.user, Action.CHANGE, Resource.SAFETY_PLAN),
        },
    )


def _detail(request: HttpRequest, plan_id: int, **forms: Form) -> HttpResponse:
    detail = plan_detail_for_user(user=request.user, plan_id=plan_id)
    actor = cast(User, request.user)
    context = {
        "d": detail,
        "may_draft": plan_may_draft(plan=detail.plan, actor=actor),
        "may_approve": plan_may_approve(plan=detail.plan, actor=actor),
        "shared_form": SharedForm(),
        "briefing_form": BriefingForm(),
        "review_form": ReviewForm(),
        "attachment_form": AttachmentForm(),
        "return_form": ReturnForm(),
        **forms,
    }
    return render(request, "safetyplans/detail.html", context)


@login_required
@require_GET
def plan_detail_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    _require_view(request)
    return _detail(request, plan_id)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, action=Action.CHANGE)
    latest = plan.versions.order_by("-number").first()
    initial = dict(latest.sections) if latest else {}
    form = PlanSectionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        sections = {key: form.cleaned_data.get(key, "") for key in SECTION_KEYS}
        try:
            version = plan_save_version(
                plan=plan,
                sections=sections,
                note=form.cleaned_data["note"],
                actor=cast(User, request.user),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, gettext(PLAN_SAVED).format(number=version.number))
            return redirect("plan-detail", plan_id=plan.pk)
    return render(request, "safetyplans/edit.html", {"plan": plan, "form": form})


@login_required
@require_POST
def plan_transition_view(request: HttpRequest, plan_id: int, transition: str) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, action=Action.CHANGE)
    user = cast(User, request.user)  # login_required
    try:
        if transition == "submit":
            plan_submit(plan=plan, actor=user)
            messages.success(request, gettext(PLAN_SUBMITTED))
        elif transition == "approve":
            plan_approve(plan=plan, actor=user)
            messages.success(request, gettext(PLAN_APPROVED))
        elif transition == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                return _detail(request, plan_id, return_form=form)
            plan_return(plan=plan, actor=user, note=form.cleaned_data["note"])
            messages.success(request, gettext(PLAN_RETURNED))
        else:
            raise PermissionDenied(gettext("Unknown transition."))
    except ValidationError as error:
        messages.error(request, "; ".join(gettext(m) for m in error.messages))
    return redirect("plan-detail", plan_id=plan.pk)


@login_required
@require_POST
def plan_step_view(request: HttpRequest, plan_id: int, step: str) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, action=Action.CHANGE)
    user = cast(User, request.user)  # login_required
    form: Form
    try:
        if step == "shared":
            form = SharedForm(request.POST)
            if not form.is_valid():
                return _detail(request, plan_id, shared_form=form)
            data = form.cleaned_data
            plan_record_shared(
                plan=plan, on=data["on"], shared_with=data["shared_with"], actor=user
            )
        elif step == "briefing":
            form = BriefingForm(request.POST)
            if not form.is_valid():
                return _detail(request, plan_id, briefing_form=form)
            data = form.cleaned_data
            plan_record_briefing(
                plan=plan,
                at=data["at"],
                attendance=data["attendance"],
                notes=data["notes"],
                actor=user,
            )
        elif step == "review":
            form = ReviewForm(request.POST)
            if not form.is_valid():
                return _detail(request, plan_id, review_form=form)
            data = form.cleaned_data
            plan_record_review(
                plan=plan, on=data["on"], participants=data["participants"], actor=user
            )
        else:
            raise PermissionDenied(gettext("Unknown step."))
    except ValidationError as error:
        messages.error(request, "; ".join(gettext(m) for m in error.messages))
    else:
        messages.success(request, gettext(STEP_RECORDED))
    return redirect("plan-detail", plan_id=plan.pk)


@login_required
@require_GET
def plan_compare_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    _require_view(request)
    try:
        old_number = int(request.GET.get("old", "0"))
        new_number = int(request.GET.get("new", "0"))
    except ValueError:
        old_number = new_number = 0
    plan, old, new, diffs = plan_compare_for_user(
        user=request.user, plan_id=plan_id, old_number=old_number, new_number=new_number
    )
    return render(
        request,
        "safetyplans/compare.html",
        {"plan": plan, "old": old, "new": new, "diffs": diffs},
    )


@login_required
@require_POST
def plan_attachment_add_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, action=Action.CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(
                plan=plan,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=cast(User, request.user),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(request, gettext(FILE_ADDED))
            return redirect("plan-detail", plan_id=plan.pk)
    return _detail(request, plan_id, attachment_form=form)


@login_required
@require_GET
def plan_attachment_view(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Serve a floor plan to a user who may see its plan; never from a public URL."""
    attachment = attachment_get_for_user(user=request.user, attachment_id=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"{attachment.title}.{attachment.content_type.split('/')[-1]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
