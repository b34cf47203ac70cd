"""Kentucky's reports: the annual SRO report (KRS 158.4414) and each campus's 2022 HB 63
status, as pages and CSV, and the form that records the marshal's written approval."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeops.reports.kentucky import STATUS_LABELS
from safeops.reports.kentucky_reads import (
    approval_school_for_user,
    campus_csv,
    campus_report_for_user,
    sro_csv,
    sro_report_for_user,
)
from safeops.staff.services import marshal_approval_record


class MarshalApprovalForm(forms.Form):
    school = forms.TypedChoiceField(label=gettext_lazy("Campus"), coerce=int)
    approved_on = forms.DateField(
        label=gettext_lazy("Date of the written approval"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reference = forms.CharField(label=gettext_lazy("Letter reference"), max_length=100)
    ends_on = forms.DateField(
        label=gettext_lazy("Lapses on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        approved, ends = data.get("approved_on"), data.get("ends_on")
        if isinstance(approved, dt.date) and isinstance(ends, dt.date) and ends <= approved:
            self.add_error("ends_on", _("The approval must lapse after its date."))
        return data


def _on(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def sro_report_view(request: HttpRequest) -> HttpResponse:
    district, report = sro_report_for_user(user=request.user, on=_on(request))
    return render(request, "reports/kentucky_sro.html", {"district": district, "report": report})


@login_required
def sro_csv_view(request: HttpRequest) -> HttpResponse:
    _district, report = sro_report_for_user(user=request.user, on=_on(request))
    return _csv(sro_csv(report), f"krs-158-4414-sro-report-{report.on}.csv")


@login_required
def campus_report_view(request: HttpRequest) -> HttpResponse:
    district, report = campus_report_for_user(user=request.user, on=_on(request))
    form = MarshalApprovalForm(request.POST or None)
    form.fields["school"].choices = [(row.school_id, row.name) for row in report.rows]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school = approval_school_for_user(user=request.user, school_id=data["school"])
        marshal_approval_record(
            school=school,
            approved_on=data["approved_on"],
            reference=data["reference"],
            ends_on=data["ends_on"],
            note=data["note"],
            actor=request.user,
        )
        messages.success(request, _("The marshal's approval is recorded."))
        return redirect("kentucky-campuses")
    context = {"district": district, "report": report, "form": form, "labels": STATUS_LABELS}
    return render(request, "reports/kentucky_campuses.html", context)


@login_required
def campus_csv_view(request: HttpRequest) -> HttpResponse:
    _district, report = campus_report_for_user(user=request.user, on=_on(request))
    return _csv(campus_csv(report), f"hb63-campus-status-{report.on}.csv")
