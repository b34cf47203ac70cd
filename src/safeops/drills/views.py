from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can_any, people_visible_to, viewer_for
from safeops.core import ical
from safeops.core.audit import audit_export
from safeops.core.csvexport import report_writer
from safeops.core.feedtokens import calendar_token_rotate, calendar_token_user
from safeops.drills.forms import CalendarImportForm, CorrectiveActionFormSet, DrillLogForm
from safeops.drills.models import Drill
from safeops.drills.overview import drill_listing, drill_map, status_bars
from safeops.drills.selectors import (
    compliance_list_for_user,
    corrective_action_get_for_user,
    drill_overview_for_user,
    drill_school_get_for_user,
    drill_types_for,
    school_drills_for_user,
    school_year_list_for_user,
    upcoming_windows_for_school,
    verification_report_for_user,
)
from safeops.drills.services import (
    CorrectiveActionInput,
    corrective_action_complete,
    drill_log,
    school_year_import_csv,
)
from safeops.schools.models import District

NO_DRILL_ACCESS = gettext_lazy("Your role does not see drill records.")
DRILL_LOGGED = gettext_noop("Drill logged. The school's status is updated below.")
ACTION_DONE = gettext_noop("Corrective action marked done.")
NO_CALENDAR_CHANGE = "Only the security chief's office changes school calendars."


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.DRILL):
        raise PermissionDenied(NO_DRILL_ACCESS)


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


@login_required
@require_GET
def drill_dashboard_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    on = _day(request)
    overview = drill_overview_for_user(user=request.user, on=on)
    listing = drill_listing(request.GET, overview)
    context = {
        "listing": listing,
        "zones": overview.zones,
        "on": on,
        "years": school_year_list_for_user(user=request.user),
        "chart": status_bars(listing),
        "map_config": drill_map(listing),
    }
    return render(request, "drills/dashboard.html", context)


@login_required
@require_GET
def drill_school_view(request: HttpRequest, school_id: int) -> HttpResponse:
    _require_view(request)
    page = school_drills_for_user(user=request.user, school_id=school_id, on=_day(request))
    may_log = True
    try:
        drill_school_get_for_user(user=request.user, school_id=school_id)
    except Http404:
        may_log = False
    return render(request, "drills/school.html", {"page": page, "may_log": may_log})


@login_required
@require_http_methods(["GET", "POST"])
def drill_log_view(request: HttpRequest, school_id: int) -> HttpResponse:
    school = drill_school_get_for_user(user=request.user, school_id=school_id)
    types = drill_types_for(district_id=school.district_id)
    owners = people_visible_to(request.user).filter(district_id=school.district_id, active=True)
    form = DrillLogForm(request.POST or None, drill_types=types)
    actions = CorrectiveActionFormSet(
        request.POST or None, prefix="ca", form_kwargs={"owners": owners}
    )
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        data = form.cleaned_data
        started_at = timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))
        inputs = [
            CorrectiveActionInput(a["description"], a["owner"], a["due_on"])
            for a in actions.cleaned_data
            if a.get("description")
        ]
        try:
            drill_log(
                school=school,
                drill_type=data["drill_type"],
                started_at=started_at,
                duration_minutes=data["duration_minutes"],
                time_to_clear_seconds=data["time_to_clear_seconds"],
                participants=data["participants"],
                observers=data["observers"],
                issues=data["issues"],
                corrective_actions=inputs,
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, gettext(DRILL_LOGGED))
            return redirect("drill-school", school_id=school.pk)
    return render(request, "drills/log.html", {"school": school, "form": form, "actions": actions})


@login_required
@require_POST
def corrective_action_done_view(request: HttpRequest, action_id: int) -> HttpResponse:
    action = corrective_action_get_for_user(user=request.user, action_id=action_id)
    try:
        corrective_action_complete(action=action, done_on=timezone.localdate(), actor=request.user)
    except ValidationError as error:
        messages.error(request, "; ".join(gettext(m) for m in error.messages))
    else:
        messages.success(request, gettext(ACTION_DONE))
    return redirect("drill-school", school_id=action.drill.school_id)


@login_required
@require_GET
def verification_report_view(request: HttpRequest, year_id: int) -> HttpResponse:
    _require_view(request)
    report = verification_report_for_user(user=request.user, year_id=year_id)
    return render(request, "drills/report.html", {"report": report})


@login_required
@require_GET
def verification_report_csv_view(request: HttpRequest, year_id: int) -> HttpResponse:
    _require_view(request)
    report = verification_report_for_user(user=request.user, year_id=year_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"drill-verification-{report.year.name}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = report_writer(response)
    writer.writerow(
        [
            "school",
            "state_code",
            "as_of",
            "krs_158_162_compliant",
            *[f"{code}_drills" for code, _ in report.type_names],
            "missing",
        ]
    )
    for row in report.rows:
        writer.writerow(
            [
                row.school.name,
                row.school.code,
                report.on.isoformat(),
                "yes" if row.compliant else "no",
                *[row.held.get(code, 0) for code, _ in report.type_names],
                "; ".join(row.missing),
            ]
        )
    audit_export(actor=request.user, model=Drill, count=len(report.rows), note="verification")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def drill_calendar_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    viewer = viewer_for(request.user)
    may_import = viewer.reach(Resource.SAFETY_SETTINGS, Action.CHANGE).value == "all"
    form = CalendarImportForm()
    feed_token = None
    if request.method == "POST" and request.POST.get("action") == "feed":
        feed_token = calendar_token_rotate(user=request.user, actor=request.user)
    elif request.method == "POST":
        if not may_import or viewer.district_id is None:
            raise PermissionDenied(NO_CALENDAR_CHANGE)
        form = CalendarImportForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read(1_000_000)
            try:
                result = school_year_import_csv(
                    district=District.objects.get(pk=viewer.district_id),
                    text=raw.decode("utf-8", errors="replace"),
                    actor=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Imported %(count)s school calendar.",
                        "Imported %(count)s school calendars.",
                        len(result.years),
                    )
                    % {"count": len(result.years)},
                )
                return redirect("drill-calendar")
    years = school_year_list_for_user(user=request.user).prefetch_related("non_instructional_days")
    schools = compliance_list_for_user(user=request.user)
    return render(
        request,
        "drills/calendar.html",
        {
            "years": years,
            "form": form,
            "may_import": may_import,
            "feed_token": feed_token,
            "schools": [r.school for r in sorted(schools, key=lambda r: r.school.name)],
        },
    )


@require_GET
def drill_feed_view(request: HttpRequest, token: str, school_id: int) -> HttpResponse:
    """The school's drill windows as iCalendar, for calendar apps that cannot log in."""
    user = calendar_token_user(token)
    if user is None or not can_any(user, Action.VIEW, Resource.DRILL):
        raise Http404(gettext("Unknown calendar link."))
    item = upcoming_windows_for_school(user=user, school_id=school_id, on=timezone.localdate())
    base = request.build_absolute_uri("/")[:-1]
    events = [
        ical.Event(
            uid=f"{item.school.pk}-{result.window.key}@safeops",
            start=result.window.start,
            end=result.window.end,
            summary=f"{result.window.type_label.capitalize()} drill due: {item.school.name}",
            description=f"{result.reason}. Legal source: {result.window.legal_source}.",
            url=f"{base}/drills/schools/{item.school.pk}/",
        )
        for result in item.compliance.windows
        if result.state != "met"
    ]
    text = ical.calendar_text(
        name=f"Drills due: {item.school.name}", events=events, stamp=timezone.now()
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
