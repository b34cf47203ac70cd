"""The training ledger: my training, a person's record, the district view (and CSV), the
iCalendar feed of due items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from safeops.access import Action, Resource, can_any, viewer_for
from safeops.core import ical
from safeops.core.audit import audit_export
from safeops.core.csvexport import report_writer
from safeops.core.feedtokens import calendar_token_rotate, calendar_token_user
from safeops.training import engine
from safeops.training.models import Completion
from safeops.training.selectors import (
    district_compliance_for_user,
    due_items,
    my_training,
    pending_for_user,
    person_training_for_user,
)
from safeops.training.views.common import (
    _day,
    _manager,
    _require_view,
)


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


@require_GET
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The user's own due training items as iCalendar (for calendar apps that cannot log in)."""
    user = calendar_token_user(token)
    if user is None or not can_any(user, Action.VIEW, Resource.TRAINING_RECORD):
        raise Http404(gettext("Unknown calendar link."))
    try:
        page = my_training(user=user)
    except Http404:
        raise Http404(gettext("Unknown calendar link.")) from None
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
