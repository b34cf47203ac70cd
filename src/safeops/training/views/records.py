"""Recording training: completions and certifications, their confirmation, certificates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action
from safeops.staff.models import Person
from safeops.training.forms import (
    CertificationForm,
    CompletionForm,
    UploadForm,
)
from safeops.training.models import Certification, Completion
from safeops.training.selectors import (
    certificate_file_get_for_user,
    certification_get_for_user,
    completion_get_for_user,
)
from safeops.training.services import (
    certificate_attach,
    certification_confirm,
    certification_record,
    completion_confirm,
    completion_record,
    completion_reject,
)
from safeops.training.views.common import (
    CONFIRMED,
    RECORDED,
    RECORDED_PENDING,
    REJECTED,
    UPLOADED,
    _district,
    _form_errors,
    _people_choices,
    _require_view,
    _target,
)


def _record_page(
    request: HttpRequest,
    form_class: type[CompletionForm] | type[CertificationForm],
    title: str,
    record: Callable[[dict[str, Any], Person], Completion | Certification],
) -> HttpResponse:
    """The record form for oneself (or, for the training office, anyone): `record` writes it."""
    _require_view(request)
    district = _district(request)
    form = form_class(
        request.POST or None,
        request.FILES or None,
        people=_people_choices(request),
        district_id=district.pk,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = record(data, _target(request, data.get("person")))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            confirmed = saved.status == "confirmed"
            messages.success(request, RECORDED if confirmed else RECORDED_PENDING)
            return redirect("training-person", person_id=saved.person_id)
    return render(request, "training/record_form.html", {"form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def completion_new_view(request: HttpRequest) -> HttpResponse:
    def record(data: dict[str, Any], person: Person) -> Completion:
        return completion_record(
            person=person,
            topic=data["topic"],
            course=data.get("course"),
            hours=data["hours"],
            completed_on=data["completed_on"],
            provider=data.get("provider", ""),
            counts_for_year=data.get("counts_for_year"),
            actor=request.user,
            certificate=data.get("certificate"),
        )

    return _record_page(request, CompletionForm, gettext("Record a completion"), record)


@login_required
@require_http_methods(["GET", "POST"])
def certification_new_view(request: HttpRequest) -> HttpResponse:
    def record(data: dict[str, Any], person: Person) -> Certification:
        return certification_record(
            person=person,
            certification_type=data["certification_type"],
            issued_on=data["issued_on"],
            expires_on=data.get("expires_on"),
            number=data.get("number", ""),
            actor=request.user,
            certificate=data.get("certificate"),
        )

    return _record_page(request, CertificationForm, gettext("Record a certification"), record)


@login_required
@require_POST
def record_decide_view(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    decision = request.POST.get("decision", "confirm")
    try:
        if kind == "completion":
            completion = completion_get_for_user(
                user=request.user, completion_id=record_id, action=Action.CHANGE
            )
            if decision == "reject":
                completion_reject(completion=completion, actor=request.user)
            else:
                completion_confirm(completion=completion, actor=request.user)
        elif kind == "certification":
            certification = certification_get_for_user(
                user=request.user, certification_id=record_id, action=Action.CHANGE
            )
            certification_confirm(certification=certification, actor=request.user)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, REJECTED if decision == "reject" else CONFIRMED)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""  # only a page of this site: never an open redirect
    return redirect(target or "training-district")


@login_required
@require_POST
def certificate_upload_view(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if kind == "completion":
        parent: Any = completion_get_for_user(
            user=request.user, completion_id=record_id, action=Action.CHANGE
        )
        target = {"completion": parent}
    elif kind == "certification":
        parent = certification_get_for_user(
            user=request.user, certification_id=record_id, action=Action.CHANGE
        )
        target = {"certification": parent}
    else:
        raise Http404
    if form.is_valid():
        try:
            certificate_attach(upload=form.cleaned_data["file"], actor=request.user, **target)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, UPLOADED)
    else:
        messages.error(request, gettext("Choose a file."))
    return redirect("training-person", person_id=parent.person_id)


@login_required
@require_GET
def certificate_file_view(request: HttpRequest, file_id: int) -> FileResponse:
    stored = certificate_file_get_for_user(user=request.user, file_id=file_id)
    return FileResponse(
        stored.file.open("rb"),
        content_type=stored.content_type,
        as_attachment=True,
        filename=f"certificate-{stored.pk}.{stored.content_type.split('/')[-1]}",
    )
