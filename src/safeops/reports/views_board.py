"""The board report (page and PDF), the community monitoring team's view with its zone
drill-down, and the chief's internal view (docs/board-report.md)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from safeops.access import Resource
from safeops.reports.board.context import board_context, unsuppressed_context
from safeops.reports.board.figures import zone_rows
from safeops.reports.board.pdf import board_pdf
from safeops.reports.board.reads import (
    board_report_for_user,
    may_read,
    monitoring_report_for_user,
    unsuppressed_report_for_user,
)
from safeops.reports.terms import Term, parse_term, recent_terms


def _term(request: HttpRequest) -> Term:
    return parse_term(request.GET.get("term"), today=timezone.localdate())


def _terms() -> list[Term]:
    return recent_terms(today=timezone.localdate())


@login_required
def accountability_home_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "reports/accountability.html",
        {
            "board": may_read(user, Resource.REPORT),
            "monitoring": may_read(user, Resource.REPORT_MONITORING),
            "unsuppressed": may_read(user, Resource.REPORT_UNSUPPRESSED),
            "kentucky": may_read(user, Resource.STATE_REPORT),
        },
    )


@login_required
def board_report_view(request: HttpRequest) -> HttpResponse:
    figures = board_report_for_user(user=request.user, term=_term(request))
    context = board_context(figures)
    context["terms"] = _terms()
    return render(request, "reports/board.html", context)


@login_required
def board_pdf_view(request: HttpRequest) -> HttpResponse:
    figures = board_report_for_user(user=request.user, term=_term(request))
    pdf = board_pdf(request=request, context=board_context(figures))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"board-report-{figures.term.key}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def monitoring_view(request: HttpRequest) -> HttpResponse:
    figures = monitoring_report_for_user(user=request.user, term=_term(request))
    context = board_context(figures, with_charts=False)
    context["terms"] = _terms()
    return render(request, "reports/monitoring.html", context)


@login_required
def monitoring_zone_view(request: HttpRequest, zone_id: int) -> HttpResponse:
    key = str(zone_id)
    figures = monitoring_report_for_user(user=request.user, term=_term(request), zone_key=key)
    zone = next((z for z in figures.zones if z.key == key), None)
    if zone is None:
        raise Http404(_("No such zone."))
    context = board_context(figures, with_charts=False)
    for name in ("runs_by_category", "runs_by_priority"):
        context[name] = zone_rows(context[name], key)
    context.update({"zone": zone, "terms": _terms()})
    return render(request, "reports/monitoring_zone.html", context)


@login_required
def unsuppressed_view(request: HttpRequest) -> HttpResponse:
    figures = unsuppressed_report_for_user(user=request.user, term=_term(request))
    context = unsuppressed_context(figures)
    context["terms"] = _terms()
    return render(request, "reports/unsuppressed.html", context)
