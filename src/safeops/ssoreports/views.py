"""After-the-call pages: the SSO report (phone first) and the hand-offs. Parse, call one service
or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safeops.access import Action, Resource, can_any
from safeops.core.discipline import DisciplineRefusal
from safeops.ssoreports.choices import ConsentGivenBy, HandoffKind
from safeops.ssoreports.forms import CourtNoticeForm, ReportForm
from safeops.ssoreports.selectors import (
    AfterCall,
    after_call_for_user,
    handoff_counts_for_user,
    handoff_list_for_user,
    sso_report_get_for_user,
    sso_report_list_for_user,
)
from safeops.ssoreports.services import ConsentInput, ReportInput, handoff_record, sso_report_save

COUNT_DAYS = 365


def _report_initial(after: AfterCall) -> dict[str, Any]:
    report = after.report
    if report is None:
        return {"weapon_involved": False}
    return {
        "narrative": report.narrative,
        "outside_agency": report.outside_agency,
        "case_number": report.case_number,
        "call_911_at": report.call_911_at and timezone.localtime(report.call_911_at),
        "agency_on_scene_at": report.agency_on_scene_at
        and timezone.localtime(report.agency_on_scene_at),
        "handed_off_at": report.handed_off_at and timezone.localtime(report.handed_off_at),
        "weapon_involved": report.weapon_involved,
    }


def _after_call_page(
    request: HttpRequest,
    after: AfterCall,
    *,
    report_form: ReportForm | None = None,
    notice_form: CourtNoticeForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "after": after,
        "r": after.request,
        "report_form": report_form or ReportForm(initial=_report_initial(after)),
        "notice_form": notice_form or CourtNoticeForm(),
        "refusal": refusal,
        "kinds": HandoffKind,
    }
    return render(request, "ssoreports/after_call.html", context, status=status)


@login_required
@require_GET
def after_call_view(request: HttpRequest, request_id: int) -> HttpResponse:
    return _after_call_page(request, after_call_for_user(user=request.user, request_id=request_id))


@login_required
@require_POST
def report_save_view(request: HttpRequest, request_id: int) -> HttpResponse:
    after = after_call_for_user(user=request.user, request_id=request_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _after_call_page(request, after, report_form=form, status=422)
    d = form.cleaned_data
    try:
        sso_report_save(
            request_id=after.request.pk,
            actor=request.user,
            data=ReportInput(
                narrative=d["narrative"],
                outside_agency=d["outside_agency"],
                case_number=d["case_number"],
                call_911_at=d["call_911_at"],
                agency_on_scene_at=d["agency_on_scene_at"],
                handed_off_at=d["handed_off_at"],
                weapon_involved=d["weapon_involved"],
            ),
        )
    except DisciplineRefusal as error:
        return _after_call_page(
            request, after, report_form=form, refusal=_(error.message), status=422
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _after_call_page(request, after, report_form=form, status=422)
    messages.success(request, _("Report saved."))
    return redirect("ssoreport-after-call", request_id=after.request.pk)


def _referral_form_url(after: AfterCall, kind: HandoffKind) -> str:
    """The referral form, prefilled with the request's school (and the request, or the
    gun-violence service)."""
    query: dict[str, int] = {}
    if after.request.school_id is not None:
        query["school"] = after.request.school_id
    if kind == HandoffKind.SUPPORT_REFERRAL:
        query["support_request"] = after.request.pk
    elif after.gun_violence_service_id is not None:
        query["service"] = after.gun_violence_service_id
    return f"{reverse('referral-create')}?{urlencode(query)}"


@login_required
@require_POST
def handoff_view(request: HttpRequest, request_id: int, kind: str) -> HttpResponse:
    if kind not in HandoffKind.values:
        raise Http404(_("No such hand-off."))
    handoff_kind = HandoffKind(kind)
    after = after_call_for_user(user=request.user, request_id=request_id)
    consent = None
    note = ""
    form = None
    if handoff_kind == HandoffKind.COURT_LIAISON_NOTICE:
        form = CourtNoticeForm(request.POST)
        if not form.is_valid():
            return _after_call_page(request, after, notice_form=form, status=422)
        consent = ConsentInput(
            given_by=ConsentGivenBy(form.cleaned_data["consent_given_by"]),
            given_on=form.cleaned_data["consent_given_on"],
            confirmed=form.cleaned_data["consent_confirmed"],
        )
        note = form.cleaned_data["note"]
    try:
        handoff_record(
            request_id=after.request.pk,
            kind=handoff_kind,
            actor=request.user,
            consent=consent,
            note=note,
        )
    except DisciplineRefusal as error:
        return _after_call_page(
            request, after, notice_form=form, refusal=_(error.message), status=422
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ssoreport-after-call", request_id=after.request.pk)
    if handoff_kind == HandoffKind.COURT_LIAISON_NOTICE:
        messages.success(request, _("The court liaison has the notice."))
        return redirect("ssoreport-after-call", request_id=after.request.pk)
    return redirect(_referral_form_url(after, handoff_kind))


@login_required
@require_GET
def report_list_view(request: HttpRequest) -> HttpResponse:
    reports = sso_report_list_for_user(user=request.user)
    counts = None
    if can_any(request.user, Action.VIEW, Resource.SSO_HANDOFF):
        since = timezone.localdate() - dt.timedelta(days=COUNT_DAYS)
        counts = [
            (HandoffKind(kind).label, n)
            for kind, n in handoff_counts_for_user(user=request.user, since=since).items()
        ]
    return render(
        request, "ssoreports/list.html", {"reports": reports, "counts": counts, "days": COUNT_DAYS}
    )


@login_required
@require_GET
def report_detail_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = sso_report_get_for_user(user=request.user, report_id=report_id)
    return render(request, "ssoreports/detail.html", {"report": report})


@login_required
@require_GET
def handoff_list_view(request: HttpRequest) -> HttpResponse:
    handoffs = handoff_list_for_user(user=request.user)[:200]
    return render(request, "ssoreports/handoffs.html", {"handoffs": handoffs})
