"""Writes of the patrol app: make, re-plan and hand over the day's plans.

Check-ins and skips are in `visits.py`, imports in `importing.py`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from planning.patrol import (
    CoverageTarget,
    DayPlan,
    Route,
    Site,
    absorb,
    plan_day,
    predictability,
    replan,
)
from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.models import AuditAction
from safeops.patrol.adapter import (
    DistrictDay,
    coverage_targets,
    day_seed,
    district_day,
    officer_of,
    parse_site_id,
    shortfall_rows,
    sites_of,
    stored_day_plan,
)
from safeops.patrol.choices import DropReason, VisitStatus
from safeops.patrol.exceptions import NO_PLAN, PatrolError
from safeops.patrol.models import PatrolPlan, PlannedVisit
from safeops.patrol.risk import school_risks
from safeops.patrol.shifts import shift_window
from safeops.zones.models import Zone

HISTORY_DAYS = 14


def minute_now() -> int:
    local = timezone.localtime()
    return local.hour * 60 + local.minute


def _visits_this_week(*, district_id: int, day: dt.date) -> dict[int, int]:
    monday = day - dt.timedelta(days=day.weekday())
    rows = PlannedVisit.objects.filter(
        plan__district_id=district_id,
        plan__day__gte=monday,
        plan__day__lt=day,
        status=VisitStatus.CHECKED_IN,
        school__isnull=False,
    ).values_list("school_id", flat=True)
    return dict(Counter(rows))


def _history(*, district_id: int, day: dt.date) -> list[DayPlan]:
    plans = list(
        PatrolPlan.objects.filter(
            district_id=district_id,
            day__gte=day - dt.timedelta(days=HISTORY_DAYS),
            day__lt=day,
        ).order_by("day")
    )
    by_day: dict[dt.date, list[PatrolPlan]] = {}
    for plan in plans:
        by_day.setdefault(plan.day, []).append(plan)
    return [stored_day_plan(day_plans) for day_plans in by_day.values()]


def _only(plan: DayPlan, officer_id: str) -> DayPlan:
    routes = {officer_id: plan.routes[officer_id]} if officer_id in plan.routes else {}
    return DayPlan(plan.day, plan.seed, routes, (), 0, 0)


def _start_point(data: DistrictDay, zone_id: int) -> tuple[float, float]:
    """Where an officer starts: the zone's post school, else the middle of its schools."""
    zone = Zone.objects.filter(pk=zone_id).select_related("post_school").first()
    if zone is not None and zone.post_school is not None:
        return zone.post_school.latitude, zone.post_school.longitude
    schools = [s for s, z in data.zone_of_school.items() if z == zone_id]
    if not schools:
        return 0.0, 0.0
    lats = [data.schools[s].latitude for s in schools]
    lons = [data.schools[s].longitude for s in schools]
    return sum(lats) / len(lats), sum(lons) / len(lons)


def _write_route(
    plan: PatrolPlan, route: Route, *, from_minute: int | None, sites: set[str]
) -> None:
    """Replace the plan's planned visits (from `from_minute` on) with the route's; a stop
    already checked in or skipped today (same place and window) is not planned again."""
    planned = plan.visits.filter(status=VisitStatus.PLANNED)
    if from_minute is not None:
        planned = planned.filter(arrive_minute__gte=from_minute)
    planned.delete()
    done = {(v.site_id, v.window_label) for v in plan.visits.exclude(status=VisitStatus.PLANNED)}
    new = []
    for visit in route.visits:
        label = visit.window_label or ""
        if from_minute is not None and visit.arrive < from_minute:
            continue
        if visit.site_id not in sites or (visit.site_id, label) in done:
            continue
        kind, pk = parse_site_id(visit.site_id)
        new.append(
            PlannedVisit(
                plan=plan,
                position=0,
                school_id=pk if kind == "school" else None,
                point_id=pk if kind == "point" else None,
                arrive_minute=visit.arrive,
                depart_minute=visit.depart,
                window_label=label,
            )
        )
    PlannedVisit.objects.bulk_create(new)
    ordered = list(plan.visits.order_by("arrive_minute", "id"))
    for position, stop in enumerate(ordered):
        stop.position = position
    PlannedVisit.objects.bulk_update(ordered, ["position"])


def _windows(route: Route) -> int:
    return sum(1 for v in route.visits if v.window_label)


@transaction.atomic
def plans_generate(
    *, district_id: int, day: dt.date, actor: Actor, replace: bool = False
) -> list[PatrolPlan]:
    """Make (or with `replace`, make again) the day's plan of every on-shift SSO with a zone."""
    existing = list(PatrolPlan.objects.filter(district_id=district_id, day=day))
    if existing and not replace:
        return existing
    data = district_day(district_id=district_id, day=day)
    risks = school_risks(district_id=district_id, today=day, days=data.rules.risk_days)
    sites = sites_of(data, risks)
    site_ids = {site.id for site in sites}
    officers = []
    zone_of_officer: dict[str, int] = {}
    starts: dict[str, tuple[float, float]] = {}
    shifts: dict[str, tuple[int, int]] = {}
    for person, zone_id in data.officers.values():
        shift = shift_window(person=person, day=day)
        own_sites = tuple(s for s in data.zone_site_ids(zone_id) if s in site_ids)
        if shift is None or not own_sites:
            continue
        start = _start_point(data, zone_id)
        officers.append(officer_of(person, start=start, shift=shift, site_ids=own_sites))
        zone_of_officer[str(person.pk)], starts[str(person.pk)] = zone_id, start
        shifts[str(person.pk)] = shift
    if not officers:
        return existing
    targets = coverage_targets(
        data=data,
        risks=risks,
        visits_this_week=_visits_this_week(district_id=district_id, day=day),
    )
    history = _history(district_id=district_id, day=day)
    seed = day_seed(district_id=district_id, day=day)
    result = plan_day(
        day=day, officers=officers, sites=sites, targets=targets, seed=seed, history=history
    )
    plans = []
    for officer in officers:
        route = result.routes.get(officer.id) or Route(officer.id, (), 0.0, officer.shift_start)
        own = set(officer.site_ids)
        person_plan, created = PatrolPlan.objects.get_or_create(
            person_id=int(officer.id),
            day=day,
            defaults={
                "district_id": district_id,
                "seed": seed,
                "shift_start": officer.shift_start,
                "shift_end": officer.shift_end,
                "start_latitude": officer.start_lat,
                "start_longitude": officer.start_lon,
            },
        )
        before = None if created else snapshot(person_plan)
        person_plan.zone_id = zone_of_officer[officer.id]
        person_plan.seed = seed
        person_plan.travel_minutes = route.travel_minutes
        person_plan.windows_targeted = sum(len(site.windows) for site in sites if site.id in own)
        person_plan.windows_covered = _windows(route)
        person_plan.shortfalls = shortfall_rows([s for s in result.shortfalls if s.site_id in own])
        person_plan.predictability = (
            predictability(
                history=[_only(h, officer.id) for h in history], day_plan=_only(result, officer.id)
            )
            if history
            else None
        )
        if not created:
            person_plan.revision += 1
        person_plan.save()
        _write_route(person_plan, route, from_minute=None, sites=own)
        audit_write(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=person_plan,
            before=before,
            note=f"patrol plan {day.isoformat()}",
        )
        plans.append(person_plan)
    return plans


def _day_context(
    plan: PatrolPlan,
) -> tuple[DistrictDay, list[Site], list[CoverageTarget], DayPlan, list[PatrolPlan]]:
    data = district_day(district_id=plan.district_id, day=plan.day)
    risks = school_risks(district_id=plan.district_id, today=plan.day, days=data.rules.risk_days)
    sites = sites_of(data, risks)
    targets = coverage_targets(
        data=data,
        risks=risks,
        visits_this_week=_visits_this_week(district_id=plan.district_id, day=plan.day),
    )
    day_plans = list(
        PatrolPlan.objects.filter(district_id=plan.district_id, day=plan.day).select_related(
            "person"
        )
    )
    return data, sites, targets, stored_day_plan(day_plans, data), day_plans


def _zone_sites(data: DistrictDay, plan: PatrolPlan) -> set[str]:
    return set(data.zone_site_ids(plan.zone_id)) if plan.zone_id else set()


@transaction.atomic
def plan_replan(
    *,
    person_id: int,
    day: dt.date,
    from_lat: float,
    from_lon: float,
    from_minute: int,
    actor: Actor,
) -> PatrolPlan:
    """Plan the rest of the officer's day from where they are now (after a call)."""
    plan = PatrolPlan.objects.select_for_update().filter(person_id=person_id, day=day).first()
    if plan is None:
        raise PatrolError(NO_PLAN)
    data, sites, targets, current, _plans = _day_context(plan)
    before = snapshot(plan)
    result = replan(
        plan=current,
        officer_id=str(person_id),
        from_lat=from_lat,
        from_lon=from_lon,
        from_minute=from_minute,
        sites=sites,
        targets=targets,
        seed=plan.seed,
    )
    route = result.routes[str(person_id)]
    _write_route(plan, route, from_minute=from_minute, sites=_zone_sites(data, plan))
    plan.revision += 1
    plan.replanned_from = from_minute
    plan.windows_covered = (
        plan.visits.exclude(window_label="").exclude(status=VisitStatus.SKIPPED).count()
    )
    plan.save()
    audit_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=plan,
        before=before,
        note=f"re-planned from {from_minute // 60:02d}:{from_minute % 60:02d}",
    )
    return plan


@transaction.atomic
def plan_absorb(
    *,
    person_id: int,
    day: dt.date,
    from_minute: int,
    actor: Actor,
    reason: DropReason = DropReason.SUPERVISOR,
) -> PatrolPlan:
    """The officer is lost for the rest of the day: neighbours take what they can; what no
    one can take is recorded on the officer's plan for the supervisor, with what each
    neighbour took and why."""
    plan = PatrolPlan.objects.select_for_update().filter(person_id=person_id, day=day).first()
    if plan is None:
        raise PatrolError(NO_PLAN)
    data, sites, targets, current, day_plans = _day_context(plan)
    result, lost = absorb(
        plan=current,
        lost_officer_id=str(person_id),
        from_minute=from_minute,
        sites=sites,
        targets=targets,
        seed=plan.seed,
    )
    before = snapshot(plan)
    plan.visits.filter(status=VisitStatus.PLANNED, arrive_minute__gte=from_minute).delete()
    plan.lost = shortfall_rows(lost)
    plan.revision += 1
    plan.replanned_from = from_minute
    plan.absorbed_reason = reason
    audit_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=plan,
        before=before,
        note=f"absorbed into neighbours from {from_minute // 60:02d}:{from_minute % 60:02d}",
    )
    _absorbed_routes(result, day_plans, data, from_minute, actor, skip=plan.pk)
    plan.absorbed = _taken(day_plans, _zone_sites(data, plan), from_minute, skip=plan.pk)
    plan.save()
    return plan


def _taken(
    day_plans: Iterable[PatrolPlan], zone_sites: set[str], from_minute: int, *, skip: int
) -> list[dict[str, object]]:
    """The lost officer's zone stops the neighbours now have planned (after the absorb)."""
    rows: list[dict[str, object]] = []
    for other in day_plans:
        if other.pk == skip:
            continue
        visits = other.visits.filter(status=VisitStatus.PLANNED, arrive_minute__gte=from_minute)
        rows += [
            {
                "site": visit.site_id,
                "window": visit.window_label,
                "to": other.person.full_name,
                "arrive": visit.arrive_minute,
            }
            for visit in visits.order_by("arrive_minute")
            if visit.site_id in zone_sites
        ]
    return rows


def _absorbed_routes(
    result: DayPlan,
    day_plans: Iterable[PatrolPlan],
    data: DistrictDay,
    from_minute: int,
    actor: Actor,
    *,
    skip: int,
) -> None:
    """Write the neighbours' new routes (they may now include the lost officer's sites)."""
    all_sites = set(data.zone_site_ids(0)) | {
        s for plan in day_plans if plan.zone_id for s in data.zone_site_ids(plan.zone_id)
    }
    for other in day_plans:
        route = result.routes.get(str(other.person_id))
        if other.pk == skip or route is None:
            continue
        before = snapshot(other)
        _write_route(other, route, from_minute=from_minute, sites=all_sites)
        other.revision += 1
        other.replanned_from = from_minute
        other.save()
        audit_write(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=other,
            before=before,
            note="took over a neighbour's visits",
        )
