"""Training pages: my training, a person's record, the district view (CSV), record entry,
the LMS upload, the catalog and rules, and the iCalendar feed of due items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Reach, Resource, can_any, viewer_for
from safeops.core import ical
from safeops.core.audit import audit_export
from safeops.core.csvexport import report_writer
from safeops.core.feedtokens import calendar_token_rotate, calendar_token_user
from safeops.schools.models import District
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.training import engine
from safeops.training.forms import (
    CertificationForm,
    CompletionForm,
    CourseForm,
    ImportForm,
    PolicyForm,
    RequiredTopicForm,
    RequirementForm,
    UploadForm,
)
from safeops.training.models import Completion, RequiredTopic, Requirement
from safeops.training.selectors import (
    catalog_for_user,
    certificate_file_get_for_user,
    certification_get_for_user,
    completion_get_for_user,
    district_compliance_for_user,
    due_items,
    my_training,
    pending_for_user,
    person_training_for_user,
    policy_for,
    training_people_for_user,
)
from safeops.training.services import (
    TrainingImportError,
    certificate_attach,
    certification_confirm,
    certification_record,
    completion_confirm,
    completion_record,
    completion_reject,
    completions_import_csv,
    course_create,
    required_topic_add,
    required_topic_remove,
    requirement_save,
    training_defaults_seed,
    training_policy_update,
)

NO_TRAINING_ACCESS = "Your role has no training records."
NOT_MANAGER = "Only the training coordinator (or the security chief) may do this."
RECORDED_PENDING = "Recorded. It counts once the training coordinator confirms it."
RECORDED = "Recorded and confirmed."
IMPORTED = "Imported {created} new, {updated} updated, {unchanged} unchanged completion(s)."
CONFIRMED = "Confirmed."
REJECTED = "Rejected."
UPLOADED = "Certificate attached."
SAVED = "Saved."
DEFAULTS_LOADED = "Added {count} default catalog and rule rows."


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.TRAINING_RECORD):
        raise PermissionDenied(NO_TRAINING_ACCESS)


def _manager(request: HttpRequest) -> bool:
    reach = viewer_for(request.user).reach(Resource.TRAINING_RECORD, Action.CHANGE)
    return reach == Reach.ALL


def _district(request: HttpRequest) -> District:
    viewer = viewer_for(request.user)
    if viewer.district_id is None:
        raise PermissionDenied(NO_TRAINING_ACCESS)
    return District.objects.get(pk=viewer.district_id)


@login_required
@require_http_methods(["GET", "POST"])
def my_training_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    feed_url = None
    if request.method == "POST":
        token = calendar_token_rotate(user=request.user, actor=request.user)
        feed_url = request.build_absolute_uri(f"/training/feed/{token}.ics")
    page = my_training(user=request.user, on=_day(request))
    return render(
        request,
        "training/person.html",
        {"page": page, "own": True, "feed_url": feed_url, "due": due_items(page.assessment)},
    )


@login_required
@require_GET
def person_training_view(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_view(request)
    page = person_training_for_user(user=request.user, person_id=person_id, on=_day(request))
    own = page.person.pk == viewer_for(request.user).person_id
    return render(
        request,
        "training/person.html",
        {"page": page, "own": own, "due": due_items(page.assessment)},
    )


def _district_rows(request: HttpRequest) -> tuple[dt.date, list[Any]]:
    _require_view(request)
    on = _day(request)
    return on, district_compliance_for_user(user=request.user, on=on)


@login_required
@require_GET
def district_view(request: HttpRequest) -> HttpResponse:
    on, rows = _district_rows(request)
    pending = pending_for_user(user=request.user)
    return render(
        request,
        "training/district.html",
        {
            "rows": rows,
            "on": on,
            "pending_completions": pending[0],
            "pending_certifications": pending[1],
            "may_manage": _manager(request),
            "lapsed": sum(1 for r in rows if r.assessment.lapsed),
        },
    )


@login_required
@require_GET
def district_csv_view(request: HttpRequest) -> HttpResponse:
    on, rows = _district_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{on.isoformat()}.csv"'
    writer = report_writer(response)
    writer.writerow(
        [
            "person",
            "role",
            "training_year",
            "as_of",
            "risk",
            "lapsed",
            "district_hours",
            "district_required",
            "district_projected",
            "state_hours",
            "state_required",
            "state_projected",
            "missing_topics",
            "certifications",
        ]
    )
    for row in rows:
        a = row.assessment
        by_credit = {h.rule.credit: h for h in a.hours}
        cells: list[str] = []
        for credit in (engine.Credit.DISTRICT, engine.Credit.STATE):
            status = by_credit.get(credit)
            cells += (
                [
                    engine.hours_text(status.total),
                    engine.hours_text(status.rule.hours),
                    engine.hours_text(status.projected),
                ]
                if status
                else ["", "", ""]
            )
        writer.writerow(
            [
                row.person.full_name,
                row.person.get_role_display(),
                a.year.label,
                on.isoformat(),
                a.risk,
                "; ".join(a.lapses),
                *cells,
                "; ".join(t.rule.name for t in a.missing_topics),
                "; ".join(
                    f"{c.rule.name} {c.state.value}" + (f" {c.expires_on}" if c.expires_on else "")
                    for c in a.certs
                ),
            ]
        )
    audit_export(actor=request.user, model=Completion, count=len(rows), note="training district")
    return response


def _people_choices(request: HttpRequest) -> Any:
    if not _manager(request):
        return None
    return training_people_for_user(user=request.user).order_by("full_name")


def _target(request: HttpRequest, form_person: Person | None) -> Person:
    if form_person is not None:
        return form_person
    person_id = viewer_for(request.user).person_id
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise PermissionDenied(NO_TRAINING_ACCESS)
    return person


@login_required
@require_http_methods(["GET", "POST"])
def completion_new_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    district = _district(request)
    people = _people_choices(request)
    form = CompletionForm(
        request.POST or None, request.FILES or None, people=people, district_id=district.pk
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            completion = completion_record(
                person=_target(request, data.get("person")),
                topic=data["topic"],
                course=data.get("course"),
                hours=data["hours"],
                completed_on=data["completed_on"],
                provider=data.get("provider", ""),
                counts_for_year=data.get("counts_for_year"),
                actor=request.user,
                certificate=data.get("certificate"),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            confirmed = completion.status == "confirmed"
            messages.success(request, RECORDED if confirmed else RECORDED_PENDING)
            return redirect("training-person", person_id=completion.person_id)
    return render(
        request, "training/record_form.html", {"form": form, "title": "Record a completion"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def certification_new_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    district = _district(request)
    people = _people_choices(request)
    form = CertificationForm(
        request.POST or None, request.FILES or None, people=people, district_id=district.pk
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certification = certification_record(
                person=_target(request, data.get("person")),
                certification_type=data["certification_type"],
                issued_on=data["issued_on"],
                expires_on=data.get("expires_on"),
                number=data.get("number", ""),
                actor=request.user,
                certificate=data.get("certificate"),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            confirmed = certification.status == "confirmed"
            messages.success(request, RECORDED if confirmed else RECORDED_PENDING)
            return redirect("training-person", person_id=certification.person_id)
    return render(
        request, "training/record_form.html", {"form": form, "title": "Record a certification"}
    )


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            target = field if field in form.fields else None
            for problem in problems:
                form.add_error(target, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


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
        messages.error(request, "Choose a file.")
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


@require_GET
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The user's own due training items as iCalendar (for calendar apps that cannot log in)."""
    user = calendar_token_user(token)
    if user is None or not can_any(user, Action.VIEW, Resource.TRAINING_RECORD):
        raise Http404("Unknown calendar link.")
    try:
        page = my_training(user=user)
    except Http404:
        raise Http404("Unknown calendar link.") from None
    base = request.build_absolute_uri("/")[:-1]
    events = [
        ical.Event(
            uid=f"training-{page.person.pk}-{item.key}@safeops",
            start=item.due,
            end=item.due,
            summary=item.summary,
            description=item.description,
            url=f"{base}/training/",
        )
        for item in due_items(page.assessment)
    ]
    text = ical.calendar_text(
        name=f"Training due: {page.person.full_name}", events=events, stamp=timezone.now()
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
