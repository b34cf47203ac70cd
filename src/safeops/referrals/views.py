"""Referral pages: create from a service, list, detail with status buttons, the provider's
page (no login), My onboarding, the supervisors' progress view and district aggregates."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can_any, schools_with_access
from safeops.core.discipline import SUPPORT_OVERRIDE_HINT, DisciplineRefusal
from safeops.core.listing import Filter, Sort, listing_from, person_role_filter
from safeops.referrals.choices import (
    PROVIDER_FEEDBACK_SCOPES,
    PROVIDER_STATUSES,
    ConsentGivenBy,
    ConsentScope,
    ContactMethod,
    Grade,
    Outcome,
    Status,
    allowed_next,
)
from safeops.referrals.exceptions import LINK_INVALID, ReferralConflict
from safeops.referrals.forms import ContactForm, ReferralForm, TransitionForm
from safeops.referrals.models import Referral
from safeops.referrals.scopes import ONBOARDING_ROLES
from safeops.referrals.selectors import (
    contacts_for_person,
    linked_plan_task_for_user,
    onboarding_for_person,
    onboarding_person_for_user,
    onboarding_team_for_user,
    referral_for_provider_token,
    referral_get_for_user,
    referral_list_for_user,
    referral_stats_for_user,
    service_choices,
)
from safeops.referrals.services import (
    PROVIDER_ACTOR,
    ConsentInput,
    provider_contact_record,
    referral_create,
    referral_provider_link_create,
    referral_transition,
)

NO_REFERRAL_ACCESS = gettext_lazy("Your role does not see referrals.")
NO_STATS_ACCESS = gettext_lazy("Your role does not see referral statistics.")
NO_ONBOARDING = gettext_lazy(
    "Only Safety Administrators and School Safety Officers have an onboarding list."
)
NO_TEAM_ACCESS = gettext_lazy("Your role does not supervise onboarding.")
REFERRAL_SENT = gettext_noop("Referral sent.")
STATUS_RECORDED = gettext_noop("Status recorded: {status}.")
CONTACT_RECORDED = gettext_noop("Contact recorded.")
PROVIDER_THANKS = gettext_noop("Thank you: the school sees the new status.")


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_GET
def referral_list_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.REFERRAL):
        raise PermissionDenied(NO_REFERRAL_ACCESS)
    status = request.GET.get("status", "")
    referrals = referral_list_for_user(
        user=request.user,
        status=status if status in Status.values else None,
        support_request_id=_int_param(request, "support_request"),
        incident_id=_int_param(request, "incident"),
    )
    return render(
        request,
        "referrals/list.html",
        {
            "referrals": referrals,
            "statuses": Status.choices,
            "status": status,
            "may_refer": can_any(request.user, Action.CHANGE, Resource.REFERRAL),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.CHANGE, Resource.REFERRAL):
        raise PermissionDenied(NO_REFERRAL_ACCESS)
    schools = schools_with_access(request.user, Action.CHANGE, Resource.REFERRAL)
    initial = {
        "service": _int_param(request, "service"),
        "support_request_id": _int_param(request, "support_request"),
        "incident_id": _int_param(request, "incident"),
        "plan_task_id": _int_param(request, "plan_task"),
        "school": _int_param(request, "school"),
    }
    if initial["school"] is None and schools.count() == 1:
        initial["school"] = schools.first().pk  # type: ignore[union-attr]
    form = ReferralForm(
        request.POST or None, initial=initial, schools=schools, services=service_choices()
    )
    refusal = None
    may_override = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_create(
                actor=request.user,  # type: ignore[arg-type]
                school=data["school"],
                service=data["service"],
                grade=Grade(data["grade"]),
                student_number=data["student_number"],
                student_initials=data["student_initials"],
                consent=ConsentInput(
                    given_by=ConsentGivenBy(data["consent_given_by"]),
                    given_on=data["consent_given_on"],
                    scope=ConsentScope(data["consent_scope"]),
                ),
                handoff_note=data["handoff_note"],
                support_request_id=data["support_request_id"],
                incident_id=data["incident_id"],
                plan_task_id=data["plan_task_id"],
                support_reason=data["support_reason"],
            )
        except DisciplineRefusal as error:
            refusal = _(error.message)
            may_override = error.overridable
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            may_override = "support_reason" in error.message_dict
        else:
            messages.success(request, _(REFERRAL_SENT))
            return redirect("referral-detail", referral_id=referral.pk)
    may_override = may_override or bool(form.data.get("support_reason"))
    status = 422 if refusal or (request.method == "POST" and form.errors) else 200
    context = {
        "form": form,
        "refusal": refusal,
        "may_override": may_override,
        "override_hint": _(SUPPORT_OVERRIDE_HINT),
    }
    return render(request, "referrals/form.html", context, status=status)


def _detail(
    request: HttpRequest, referral: Referral, *, provider_link: str | None = None
) -> HttpResponse:
    response = render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "next_statuses": [(s, Status(s).label) for s in allowed_next(referral.status)],
            "outcomes": Outcome.choices,
            "may_link": referral.is_open and referral.consent_scope in PROVIDER_FEEDBACK_SCOPES,
            "provider_link": provider_link,
            "plan_task": linked_plan_task_for_user(user=request.user, referral=referral),
        },
    )
    if provider_link:
        response["Cache-Control"] = "no-store"  # the secret link is in this page only
    return response


@login_required
@require_GET
def referral_detail_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, referral_id=referral_id)
    return _detail(request, referral)


@login_required
@require_POST
def referral_transition_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(
        user=request.user, referral_id=referral_id, action=Action.CHANGE
    )
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("referral-detail", referral_id=referral.pk)
    data = form.cleaned_data
    try:
        referral = referral_transition(
            referral=referral,
            to_status=data["to_status"],
            outcome=data["outcome"],
            note=data["note"],
            actor=request.user,
        )
    except ReferralConflict as error:
        messages.error(request, error.message)
    except DisciplineRefusal as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, _(STATUS_RECORDED).format(status=referral.get_status_display()))
    return redirect("referral-detail", referral_id=referral.pk)


@login_required
@require_POST
def referral_provider_link_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(
        user=request.user, referral_id=referral_id, action=Action.CHANGE
    )
    try:
        token = referral_provider_link_create(referral=referral, actor=request.user)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return redirect("referral-detail", referral_id=referral.pk)
    # Shown once, in this response only: the raw secret is never stored (not in the session).
    url = request.build_absolute_uri(f"/referrals/provider/{token}/")
    return _detail(request, referral, provider_link=url)


@require_http_methods(["GET", "POST"])
def provider_view(request: HttpRequest, token: str) -> HttpResponse:
    """The provider's page: no login; the minimum (service, initials and grade, consent)."""
    referral = referral_for_provider_token(token=token)
    if referral is None:
        return render(request, "referrals/provider.html", {"invalid": LINK_INVALID}, status=404)
    error = None
    if request.method == "POST":
        try:
            referral = referral_transition(
                referral=referral,
                to_status=request.POST.get("to_status", ""),
                note=request.POST.get("note", "")[:300],
                actor=f"{PROVIDER_ACTOR}: {referral.service.name}"[:150],
                via_provider_link=True,
            )
        except (ReferralConflict, DisciplineRefusal) as failure:
            error = failure.message
        except ValidationError as failure:
            error = "; ".join(failure.messages)
        else:
            messages.success(request, _(PROVIDER_THANKS))
            return redirect("referral-provider", token=token)
    next_statuses = [
        (s, Status(s).label) for s in allowed_next(referral.status) if s in PROVIDER_STATUSES
    ]
    return render(
        request,
        "referrals/provider.html",
        {"referral": referral, "next_statuses": next_statuses, "error": error},
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_view(request: HttpRequest) -> HttpResponse:
    person = onboarding_person_for_user(user=request.user)
    if person is None:
        raise PermissionDenied(NO_ONBOARDING)
    form = ContactForm(request.POST or None, services=service_choices())
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            provider_contact_record(
                person=person,
                service=data["service"],
                contacted_on=data["contacted_on"],
                method=ContactMethod(data["method"]),
                note=data["note"],
                actor=request.user,
            )
        except DisciplineRefusal as error:
            refusal = error.message
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _(CONTACT_RECORDED))
            return redirect("referral-onboarding")
    return render(
        request,
        "referrals/onboarding.html",
        {
            "onboarding": onboarding_for_person(person=person),
            "contacts": contacts_for_person(person=person),
            "form": form,
            "refusal": refusal,
        },
        status=422 if refusal or (request.method == "POST" and form.errors) else 200,
    )


@login_required
@require_GET
def onboarding_team_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.ONBOARDING):
        raise PermissionDenied(NO_TEAM_ACCESS)
    team = onboarding_team_for_user(user=request.user)
    listing = listing_from(
        request.GET,
        team,
        filters=[
            person_role_filter((r.value, r.label) for r in ONBOARDING_ROLES),
            Filter(
                "progress",
                _("Progress"),
                [("missing", _("Something missing")), ("done", _("All done"))],
                lambda o, v: (o.done >= o.total) == (v == "done"),
                _("Everyone"),
            ),
        ],
        sorts=[
            Sort("least", _("Least done first"), lambda o: (o.done, o.person.full_name)),
            Sort("name", _("Name"), lambda o: o.person.full_name),
        ],
        per_page=30,
    )
    return render(request, "referrals/team.html", {"listing": listing})


def _date_param(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


@login_required
@require_GET
def referral_stats_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.REFERRAL_STATS):
        raise PermissionDenied(NO_STATS_ACCESS)
    today = timezone.localdate()
    since = _date_param(request, "since", today - dt.timedelta(days=365))
    until = _date_param(request, "until", today)
    stats = referral_stats_for_user(user=request.user, since=since, until=until)
    return render(request, "referrals/stats.html", {"stats": stats})
