"""The only module that turns ORM rows into `planning.patrol` values and back.

Site ids are `s<school pk>` and `p<point pk>`; officer ids are the person's pk as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings as django_settings

from planning.geo import haversine_km
from planning.patrol import (
    CoverageTarget,
    DayPlan,
    Officer,
    Route,
    Shortfall,
    Site,
    TimeWindow,
    Visit,
)
from safeops.access import current_filter
from safeops.drills.selectors import non_instructional_reason
from safeops.patrol.choices import ARRIVAL, DISMISSAL, POINT_WINDOW, OverrideKind
from safeops.patrol.models import (
    BellOverride,
    BellSchedule,
    PatrolPlan,
    PatrolPoint,
    PatrolSettings,
    PlannedVisit,
)
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from safeops.zones.models import ZoneMembership

SEED_BITS = 62


def patrol_settings(*, district_id: int) -> PatrolSettings:
    """The district's settings row, or the defaults (unsaved)."""
    found = PatrolSettings.objects.filter(district_id=district_id).first()
    return found or PatrolSettings(district_id=district_id)


def day_seed(*, district_id: int, day: dt.date) -> int:
    """The seed of a district's day: stable (a re-plan repeats it), not guessable from outside
    (keyed with the secret key), different every day."""
    text = f"patrol:{django_settings.SECRET_KEY}:{district_id}:{day.isoformat()}"
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SEED_BITS)


def school_site_id(school_id: int) -> str:
    return f"s{school_id}"


def point_site_id(point_id: int) -> str:
    return f"p{point_id}"


def parse_site_id(site_id: str) -> tuple[str, int]:
    """`s12` -> ("school", 12); `p3` -> ("point", 3)."""
    return ("school" if site_id[0] == "s" else "point"), int(site_id[1:])


def bell_windows(
    *, start: int, end: int, rules: PatrolSettings, override: BellOverride | None
) -> tuple[TimeWindow, ...]:
    """Arrival and dismissal windows around the bells, moved by the day's override."""
    if override is not None:
        if override.kind == OverrideKind.CLOSED:
            return ()
        if override.kind == OverrideKind.LATE_START:
            start += override.shift_minutes
        if override.kind == OverrideKind.EARLY_RELEASE:
            end -= override.shift_minutes
    last = 24 * 60 - 1
    return (
        TimeWindow(
            max(start - rules.arrival_before, 0), min(start + rules.arrival_after, last), ARRIVAL
        ),
        TimeWindow(
            max(end - rules.dismissal_before, 0), min(end + rules.dismissal_after, last), DISMISSAL
        ),
    )


@dataclass
class DistrictDay:
    """What the planner needs for a district's day, read in a few queries."""

    day: dt.date
    rules: PatrolSettings
    schools: dict[int, School]
    zone_of_school: dict[int, int]
    officers: dict[int, tuple[Person, int]]  # person pk -> (person, zone pk)
    points: dict[int, PatrolPoint]
    zone_of_point: dict[int, int]
    bells: dict[int, BellSchedule] = field(default_factory=dict)
    overrides: dict[int | None, BellOverride] = field(default_factory=dict)

    def zone_site_ids(self, zone_id: int) -> tuple[str, ...]:
        schools = [school_site_id(s) for s, z in self.zone_of_school.items() if z == zone_id]
        points = [point_site_id(p) for p, z in self.zone_of_point.items() if z == zone_id]
        return tuple(sorted(schools) + sorted(points))


def district_day(*, district_id: int, day: dt.date) -> DistrictDay:
    rules = patrol_settings(district_id=district_id)
    memberships = ZoneMembership.objects.filter(
        current_filter(day), zone__district_id=district_id, zone__active=True, school__active=True
    ).select_related("school")
    schools = {m.school_id: m.school for m in memberships}
    zone_of_school = {m.school_id: m.zone_id for m in memberships}
    officers = {}
    for assignment in Assignment.objects.filter(
        current_filter(day),
        person__district_id=district_id,
        person__role=Role.SSO,
        person__active=True,
        zone__isnull=False,
    ).select_related("person"):
        officers[assignment.person_id] = (assignment.person, int(assignment.zone_id or 0))
    points = {p.pk: p for p in PatrolPoint.objects.filter(district_id=district_id, active=True)}
    zone_of_point = {}
    for point in points.values():
        nearest = min(
            schools.values(),
            key=lambda s: haversine_km(point.latitude, point.longitude, s.latitude, s.longitude),
            default=None,
        )
        if nearest is not None:
            zone_of_point[point.pk] = zone_of_school[nearest.pk]
    bells = {b.school_id: b for b in BellSchedule.objects.filter(school_id__in=schools)}
    overrides: dict[int | None, BellOverride] = {
        o.school_id: o for o in BellOverride.objects.filter(district_id=district_id, day=day)
    }
    if None not in overrides:
        # A non-instructional day of the drill calendar is a no-school day for patrol too
        # (a district-wide override of our own, when one is kept, says more and wins).
        reason = non_instructional_reason(district_id=district_id, on=day)
        if reason is not None:
            overrides[None] = BellOverride(
                district_id=district_id, day=day, kind=OverrideKind.CLOSED, note=reason
            )
    return DistrictDay(
        day=day,
        rules=rules,
        schools=schools,
        zone_of_school=zone_of_school,
        officers=officers,
        points=points,
        zone_of_point=zone_of_point,
        bells=bells,
        overrides=overrides,
    )


def sites_of(data: DistrictDay, risks: dict[int, float]) -> list[Site]:
    sites = []
    for school in data.schools.values():
        bell = data.bells.get(school.pk)
        override = data.overrides.get(school.pk) or data.overrides.get(None)
        if override is not None and override.kind == OverrideKind.CLOSED:
            continue
        windows: tuple[TimeWindow, ...] = ()
        if bell is not None:
            windows = bell_windows(
                start=bell.start_minute, end=bell.end_minute, rules=data.rules, override=override
            )
        sites.append(
            Site(
                id=school_site_id(school.pk),
                name=school.name,
                lat=school.latitude,
                lon=school.longitude,
                kind="school",
                windows=windows,
                risk=risks.get(school.pk, 1.0),
            )
        )
    for point in data.points.values():
        point_windows: tuple[TimeWindow, ...] = ()
        if point.window_start is not None and point.window_end is not None:
            point_windows = (TimeWindow(point.window_start, point.window_end, POINT_WINDOW),)
        sites.append(
            Site(
                id=point_site_id(point.pk),
                name=point.name,
                lat=point.latitude,
                lon=point.longitude,
                kind="point",
                windows=point_windows,
                risk=point.risk,
            )
        )
    return sites


def coverage_targets(
    *, data: DistrictDay, risks: dict[int, float], visits_this_week: dict[int, int]
) -> list[CoverageTarget]:
    """High-risk schools at dismissal every day; every school its weekly visits (a visit is
    required once the days left in the week are no more than the visits still owed)."""
    targets = []
    days_left = max(5 - data.day.weekday(), 1)
    for school in data.schools.values():
        site = school_site_id(school.pk)
        if risks.get(school.pk, 1.0) >= data.rules.high_risk and school.pk in data.bells:
            targets.append(CoverageTarget(site, DISMISSAL, required=True))
        owed = data.rules.weekly_visits - visits_this_week.get(school.pk, 0)
        if owed > 0:
            targets.append(CoverageTarget(site, None, required=owed >= days_left))
    return targets


def officer_of(
    person: Person, *, start: tuple[float, float], shift: tuple[int, int], site_ids: tuple[str, ...]
) -> Officer:
    return Officer(
        id=str(person.pk),
        start_lat=start[0],
        start_lon=start[1],
        shift_start=shift[0],
        shift_end=shift[1],
        site_ids=site_ids,
    )


def shortfall_rows(shortfalls: tuple[Shortfall, ...] | list[Shortfall]) -> list[dict[str, str]]:
    return [
        {"site": s.site_id, "window": s.window_label or "", "reason": s.reason} for s in shortfalls
    ]


def stored_day_plan(plans: list[PatrolPlan], data: DistrictDay | None = None) -> DayPlan:
    """Stored plans (one day, one district) as the planner's DayPlan: for history and re-plans
    (with `data`, each route carries its zone's sites, so re-plans and absorbs know them)."""
    routes: dict[str, Route] = {}
    visits_by_plan: dict[int, list[PlannedVisit]] = defaultdict(list)
    for visit in PlannedVisit.objects.filter(plan__in=plans).order_by("plan_id", "position"):
        visits_by_plan[visit.plan_id].append(visit)
    shortfalls: list[Shortfall] = []
    for plan in plans:
        visits = tuple(
            Visit(v.site_id, v.arrive_minute, v.depart_minute, v.window_label or None)
            for v in visits_by_plan[plan.pk]
        )
        end = visits[-1].depart if visits else plan.shift_start
        site_ids = data.zone_site_ids(plan.zone_id) if data and plan.zone_id else ()
        routes[str(plan.person_id)] = Route(
            str(plan.person_id),
            visits,
            plan.travel_minutes,
            end,
            shift_start=plan.shift_start,
            shift_end=plan.shift_end,
            site_ids=site_ids,
            start_lat=plan.start_latitude,
            start_lon=plan.start_longitude,
        )
        shortfalls.extend(
            Shortfall(row["site"], row["window"] or None, row["reason"]) for row in plan.shortfalls
        )
    first = plans[0]
    return DayPlan(
        day=first.day,
        seed=first.seed,
        routes=routes,
        shortfalls=tuple(shortfalls),
        windows_targeted=sum(p.windows_targeted for p in plans),
        windows_covered=sum(p.windows_covered for p in plans),
    )
