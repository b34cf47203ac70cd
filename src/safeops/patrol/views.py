"""Patrol pages: the officer's day (phone) and the supervisors' coverage, routes and CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safeops.access import Action, Reach, Resource, viewer_for
from safeops.core.csvexport import report_writer
from safeops.core.offline import service_worker_response
from safeops.patrol.choices import SkipReason
from safeops.patrol.exceptions import PatrolError
from safeops.patrol.importing import parse_time
from safeops.patrol.models import minute_label
from safeops.patrol.selectors import (
    coverage_for_user,
    own_plan,
    plan_get_for_user,
    plan_visits,
    plans_for_day,
    require_supervisor,
)
from safeops.patrol.serialize import plan_payload
from safeops.patrol.services import minute_now, plan_absorb, plans_generate

TODAY_URL = "/api/patrol/today"


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _date(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


@login_required
@require_GET
def officer_view(request: HttpRequest) -> HttpResponse:
    """The officer's phone: today's stops as a list and a map, check-in and skip."""
    viewer = viewer_for(request.user)
    reach = viewer.reach(Resource.PATROL_PLAN, Action.VIEW)
    if reach == Reach.ALL:
        return redirect("patrol-coverage")
    if reach == Reach.NONE:
        raise PermissionDenied(_("Your role has no patrol plan."))
    plan = own_plan(user=request.user, day=timezone.localdate())
    config: dict[str, Any] = {
        "personId": viewer.person_id,
        "plan": plan_payload(plan, plan_visits(plan=plan)) if plan else None,
        "todayUrl": TODAY_URL,
        "checkInUrl": "/api/patrol/visits/{id}/check-in",
        "skipUrl": "/api/patrol/visits/{id}/skip",
        "skipReasons": [[value, str(label)] for value, label in SkipReason.choices],
        "tiles": _tiles(),
        "serviceWorker": reverse("patrol-sw"),
        "scope": reverse("patrol-officer"),
    }
    context = {"plan": plan, "patrol_config": config, "patrol_text": _officer_text()}
    return render(request, "patrol/officer.html", context)


@require_GET
def officer_service_worker_view(request: HttpRequest) -> HttpResponse:
    """The phone page's service worker: the page, its files and today's plan, kept for a
    start with no signal (the page queues its check-ins itself)."""
    return service_worker_response(
        scope=reverse("patrol-officer"),
        assets=[
            reverse("patrol-officer"),
            static("patrol/officer.js"),
            static("patrol/patrol.css"),
            static("safeops/app.css"),
            static("safeops/nav.js"),
            static("safeops/tables.js"),
            static("leaflet/leaflet.js"),
            static("leaflet/leaflet.css"),
            static("leaflet/leaflet.extras.js"),
            static("leaflet/leaflet.extras.css"),
            static("leaflet/draw/leaflet.draw.i18n.js"),
            static("django_htmx/htmx-2.min.js"),
            static("safeops/favicon.svg"),
        ],
        keep=[TODAY_URL],
        cache="safeops-patrol-v1",
    )


def _officer_text() -> dict[str, str]:
    """The phone script's words, translated here."""
    return {
        "planned": _("Planned"),
        "checked_in": _("Checked in"),
        "skipped": _("Skipped"),
        "far": _("Checked in {m} m away (outside the geofence)"),
        "waiting": _("waiting to be sent"),
        "queued": _("{n} change(s) waiting to be sent"),
        "noSignal": _("no signal, will retry"),
        "busy": _("server busy, retrying"),
        "loginAgain": _("log in again to send"),
        "noPosition": _("Your position is not available: allow location to check in."),
        "checkIn": _("Check in"),
        "skip": _("Skip"),
        "reason": _("Reason to skip"),
        "directions": _("Directions"),
        "allDone": _("No stops left today."),
        "mapStatus": _("{n} stops on the map"),
    }


def _tiles() -> str:
    return str(getattr(settings, "MAP_TILES_URL", "") or "")


def _week(request: HttpRequest) -> dt.date:
    return _monday(_date(request.GET.get("week"), timezone.localdate()))


@login_required
@require_GET
def coverage_view(request: HttpRequest) -> HttpResponse:
    """Coverage by school for a week, the bell windows covered, the day's routes on a map."""
    week = _week(request)
    day = _date(request.GET.get("day"), timezone.localdate())
    coverage = coverage_for_user(user=request.user, week_start=week)
    plans = plans_for_day(user=request.user, day=day)
    routes = [
        {
            "officer": plan.person.full_name,
            "plan": plan.pk,
            "stops": [
                {
                    "place": str(v.place),
                    "lat": v.place.latitude,
                    "lon": v.place.longitude,
                    "arrive": minute_label(v.arrive_minute),
                    "status": v.status,
                }
                for v in sorted(plan.visits.all(), key=lambda v: v.position)
            ],
        }
        for plan in plans
    ]
    context = {
        "coverage": coverage,
        "week": week,
        "previous_week": week - dt.timedelta(days=7),
        "next_week": week + dt.timedelta(days=7),
        "day": day,
        "plans": plans,
        "routes": {
            "routes": routes,
            "tiles": _tiles(),
            "text": _("{routes} route(s), {stops} stop(s) on the map"),
        },
        "may_change": viewer_for(request.user).reach(Resource.PATROL_PLAN, Action.CHANGE)
        == Reach.ALL,
    }
    return render(request, "patrol/coverage.html", context)


@login_required
@require_GET
def coverage_csv_view(request: HttpRequest) -> HttpResponse:
    week = _week(request)
    coverage = coverage_for_user(user=request.user, week_start=week)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="patrol-coverage-{week}.csv"'
    writer = report_writer(response)
    writer.writerow(
        [
            "school",
            "week_start",
            "visits",
            "target",
            "met",
            "arrival_windows",
            "dismissal_windows",
            "far_check_ins",
            "skipped",
            "still_planned",
        ]
    )
    for row in coverage.rows:
        writer.writerow(
            [
                row.school.name,
                week.isoformat(),
                row.visits,
                row.target,
                "yes" if row.met else "no",
                row.arrival,
                row.dismissal,
                row.far,
                row.skipped,
                row.planned,
            ]
        )
    return response


@login_required
@require_POST
def generate_view(request: HttpRequest) -> HttpResponse:
    """Make today's plans again (the seed is the day's: the same inputs give the same plans)."""
    require_supervisor(request.user)
    viewer = viewer_for(request.user)
    if viewer.district_id is None or viewer.reach(Resource.PATROL_PLAN, Action.CHANGE) != Reach.ALL:
        raise PermissionDenied(_("You may not make patrol plans."))
    plans = plans_generate(
        district_id=viewer.district_id,
        day=timezone.localdate(),
        actor=request.user,
        replace=True,
    )
    messages.success(request, _("%(count)d plan(s) made for today.") % {"count": len(plans)})
    return redirect("patrol-coverage")


@login_required
@require_POST
def absorb_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The officer is gone for the day: hand the rest of their plan to the neighbours."""
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    if viewer_for(request.user).reach(Resource.PATROL_PLAN, Action.CHANGE) != Reach.ALL:
        raise PermissionDenied(_("You may not change patrol plans."))
    since = parse_time(request.POST.get("from", ""))  # "gone since 10:00"; default now
    try:
        plan = plan_absorb(
            person_id=plan.person_id,
            day=plan.day,
            from_minute=minute_now() if since is None else since,
            actor=request.user,
        )
    except PatrolError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The rest of %(name)s's day went to the neighbours; %(lost)d stop(s) lost.")
            % {"name": plan.person.full_name, "lost": len(plan.lost)},
        )
    return redirect("patrol-coverage")
