"""Reads of the patrol app, each for an acting user, narrowed by safeops.access.

An officer's plan says where they will be: a supervisor's read of someone else's plan and every
export are audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from safeops.access import Action, Reach, Resource, restrict, viewer_for
from safeops.core.audit import audit_export, audit_read
from safeops.patrol.adapter import parse_site_id, patrol_settings
from safeops.patrol.choices import ARRIVAL, DISMISSAL, VisitStatus
from safeops.patrol.exceptions import NO_PLAN
from safeops.patrol.models import (
    BellOverride,
    PatrolPlan,
    PatrolPoint,
    PatrolSettings,
    PlannedVisit,
    minute_label,
)
from safeops.schools.models import School

SUPERVISORS_ONLY = _("Only the security chief and the dispatchers see patrol coverage.")


def require_supervisor(user: Any) -> None:
    if viewer_for(user).reach(Resource.PATROL_PLAN, Action.VIEW) != Reach.ALL:
        raise PermissionDenied(SUPERVISORS_ONLY)


def _plans(user: Any) -> QuerySet[PatrolPlan]:
    return restrict(PatrolPlan.objects.all(), user).select_related("person", "zone")


def own_plan(*, user: Any, day: dt.date) -> PatrolPlan | None:
    """The user's own plan for `day` (an SSO's phone)."""
    person_id = viewer_for(user).person_id
    if person_id is None:
        return None
    return _plans(user).filter(person_id=person_id, day=day).first()


def plan_get_for_user(*, user: Any, plan_id: int) -> PatrolPlan:
    """A plan the user may see; a read of another officer's plan is audited."""
    plan = _plans(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404(NO_PLAN)
    if plan.person_id != viewer_for(user).person_id:
        audit_read(actor=user, instance=plan, note="patrol plan")
    return plan


def plan_visits(*, plan: PatrolPlan) -> list[PlannedVisit]:
    return list(plan.visits.select_related("school", "point").order_by("position"))


def plans_for_day(*, user: Any, day: dt.date) -> list[PatrolPlan]:
    """Every plan of the day the supervisor sees (the routes map)."""
    require_supervisor(user)
    plans = list(_plans(user).filter(day=day).prefetch_related("visits__school", "visits__point"))
    audit_export(actor=user, model=PatrolPlan, count=len(plans), note=f"routes {day}")
    return plans


@dataclass
class CoverageRow:
    school: School
    visits: int = 0
    planned: int = 0
    skipped: int = 0
    far: int = 0
    arrival: int = 0
    dismissal: int = 0
    target: int = 0
    days: set[dt.date] = field(default_factory=set)

    @property
    def met(self) -> bool:
        return self.visits >= self.target


@dataclass(frozen=True)
class Coverage:
    week_start: dt.date
    rows: list[CoverageRow]
    windows_targeted: int
    windows_covered: int
    predictability: float | None
    lost: list[dict[str, Any]]
    absorbed: list[dict[str, Any]] = field(default_factory=list)


def place_name(site_id: str) -> str:
    kind, pk = parse_site_id(site_id)
    model = School if kind == "school" else PatrolPoint
    return str(model.objects.filter(pk=pk).values_list("name", flat=True).first() or site_id)


def coverage_for_user(*, user: Any, week_start: dt.date, audit: bool = True) -> Coverage:
    """Checked-in visits per school in the week (Monday to Sunday) against the weekly target,
    the bell windows covered, and the week's mean predictability (1 = fully predictable)."""
    require_supervisor(user)
    viewer = viewer_for(user)
    week_end = week_start + dt.timedelta(days=7)
    plans = _plans(user).filter(day__gte=week_start, day__lt=week_end)
    schools = School.objects.filter(active=True)
    if viewer.district_id is not None:
        schools = schools.filter(district_id=viewer.district_id)
    target = (
        patrol_settings(district_id=viewer.district_id).weekly_visits if viewer.district_id else 0
    )
    rows = {s.pk: CoverageRow(school=s, target=target) for s in schools.order_by("name")}
    visits = PlannedVisit.objects.filter(plan__in=plans, school__isnull=False)
    for visit in visits.select_related("plan"):
        row = rows.get(visit.school_id or 0)
        if row is None:
            continue
        if visit.status == VisitStatus.CHECKED_IN:
            row.visits += 1
            row.days.add(visit.plan.day)
            row.far += 0 if visit.within_geofence else 1
            row.arrival += visit.window_label == ARRIVAL
            row.dismissal += visit.window_label == DISMISSAL
        elif visit.status == VisitStatus.SKIPPED:
            row.skipped += 1
        else:
            row.planned += 1
    plan_rows = list(plans)
    scores = [p.predictability for p in plan_rows if p.predictability is not None]
    lost = [
        {"person": p.person.full_name, "day": p.day, "place": place_name(item["site"]), **item}
        for p in plan_rows
        for item in p.lost
    ]
    absorbed = [
        {
            "person": p.person.full_name,
            "day": p.day,
            "why": p.get_absorbed_reason_display(),
            "place": place_name(item["site"]),
            "time": minute_label(item["arrive"]),
            **item,
        }
        for p in plan_rows
        for item in p.absorbed
    ]
    coverage = Coverage(
        week_start=week_start,
        rows=list(rows.values()),
        windows_targeted=sum(p.windows_targeted for p in plan_rows),
        windows_covered=PlannedVisit.objects.filter(plan__in=plans, status=VisitStatus.CHECKED_IN)
        .exclude(window_label="")
        .count(),
        predictability=sum(scores) / len(scores) if scores else None,
        lost=lost,
        absorbed=absorbed,
    )
    if audit:
        audit_export(
            actor=user, model=PlannedVisit, count=len(coverage.rows), note=f"coverage {week_start}"
        )
    return coverage


SETTINGS_HIDDEN = _("Only the security chief and the dispatchers see the patrol settings.")


@dataclass
class PatrolSetup:
    """What the settings pages show: the rules, the bells, the special days and the points."""

    district_id: int
    rules: PatrolSettings
    may_change: bool
    schools: list[School]
    school_choices: QuerySet[School]
    overrides: list[BellOverride]
    points: list[PatrolPoint]


def setup_for_user(*, user: Any, today: dt.date) -> PatrolSetup:
    """The district's patrol settings, for the chief (change) and the dispatchers (read)."""
    viewer = viewer_for(user)
    if viewer.district_id is None or viewer.reach(Resource.PATROL_SETTINGS, Action.VIEW) != (
        Reach.ALL
    ):
        raise PermissionDenied(SETTINGS_HIDDEN)
    district_id = viewer.district_id
    choices = School.objects.filter(district_id=district_id).order_by("name")
    return PatrolSetup(
        district_id=district_id,
        rules=patrol_settings(district_id=district_id),
        may_change=viewer.reach(Resource.PATROL_SETTINGS, Action.CHANGE) == Reach.ALL,
        schools=list(choices.select_related("bell_schedule")),
        school_choices=choices,
        overrides=list(
            BellOverride.objects.filter(district_id=district_id, day__gte=today)
            .select_related("school")
            .order_by("day", "school__name")
        ),
        points=list(PatrolPoint.objects.filter(district_id=district_id).order_by("name")),
    )
