"""The demo district's SA workspace: a school calendar, a partly complete drill log, safety
plans, a facility audit with findings and an incident. Deterministic for a given date.

The calendar follows a typical Kentucky pattern (first day the Wednesday on or after
August 10; Labor Day; a fall break week in October; Election Day; Thanksgiving Wednesday to
Friday; winter break from December 21 to January 1; MLK and Presidents' days; a spring break
week in April; last day the Friday on or before May 28).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from safeops.accounts.models import User
from safeops.drills import engine
from safeops.drills.models import DrillType, SchoolYear
from safeops.drills.selectors import calendar_of, rules_of
from safeops.drills.services import drill_log, safety_defaults_seed, school_year_save
from safeops.facilities.models import FacilityAudit, ItemResult
from safeops.facilities.services import (
    facility_audit_record,
    facility_defaults_seed,
    remediation_task_create,
)
from safeops.incidents.models import IncidentKind, PersonRole, ReferralTo
from safeops.incidents.services import PersonInput, ReferralInput, incident_record
from safeops.safetyplans.services import (
    plan_approve,
    plan_create,
    plan_record_briefing,
    plan_record_shared,
    plan_save_version,
    plan_submit,
)
from safeops.schools.models import District, School
from safeops.staff.models import Person


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    return _weekday_on_or_after(dt.date(year, month, 1), weekday) + dt.timedelta(weeks=n - 1)


def _week(monday: dt.date) -> list[dt.date]:
    return [monday + dt.timedelta(days=i) for i in range(5)]


@dataclass(frozen=True)
class DemoCalendar:
    name: str
    first_day: dt.date
    last_day: dt.date
    non_instructional: list[tuple[dt.date, str]]


def demo_calendar(start_year: int) -> DemoCalendar:
    """The demo calendar of the school year starting in August `start_year`."""
    y, n = start_year, start_year + 1
    mon, tue, wed, thu, fri = 0, 1, 2, 3, 4
    days: list[tuple[dt.date, str]] = [(_nth_weekday(y, 9, mon, 1), "Labor Day")]
    days += [(d, "Fall break") for d in _week(_nth_weekday(y, 10, mon, 1))]
    days.append((_nth_weekday(y, 11, mon, 1) + dt.timedelta(days=1), "Election Day"))
    thanksgiving = _nth_weekday(y, 11, thu, 4)
    days += [(thanksgiving + dt.timedelta(days=k), "Thanksgiving break") for k in (-1, 0, 1)]
    winter = dt.date(y, 12, 21)
    while winter <= dt.date(n, 1, 1):
        if winter.weekday() < 5:
            days.append((winter, "Winter break"))
        winter += dt.timedelta(days=1)
    days.append((_nth_weekday(n, 1, mon, 3), "Martin Luther King Jr. Day"))
    days.append((_nth_weekday(n, 2, mon, 3), "Presidents' Day"))
    days += [(d, "Spring break") for d in _week(_nth_weekday(n, 4, mon, 1))]
    del tue, fri
    return DemoCalendar(
        name=f"{y}-{str(n)[-2:]}",
        first_day=_weekday_on_or_after(dt.date(y, 8, 10), wed),
        last_day=_weekday_on_or_before(dt.date(n, 5, 28), 4),
        non_instructional=days,
    )


def demo_school_year_create(*, district: District, start_year: int, actor: str) -> SchoolYear:
    cal = demo_calendar(start_year)
    return school_year_save(
        district=district,
        name=cal.name,
        first_day=cal.first_day,
        last_day=cal.last_day,
        non_instructional=cal.non_instructional,
        actor=actor,
    )


# What each school leaves out, by its position (mod 5) in name order.
GAPS = ("none", "lockdown_first", "fire_last_month", "open_windows", "none")


def demo_drill_log(
    *, district: District, year: SchoolYear, today: dt.date, actor: str
) -> dict[str, int]:
    """Log the drills of every window opened by `today`, with a gap pattern across schools so
    some are compliant, some overdue and some due soon. Returns counts of each gap."""
    rules = rules_of(district_id=district.pk)
    calendar = calendar_of(year)
    types = {t.code: t for t in DrillType.objects.filter(district=district)}
    windows = [w for rule in rules for w in engine.windows_for(calendar, rule)]
    ended_fire = [
        w
        for w in windows
        if w.drill_type == "fire"
        and w.requirement.kind == engine.WindowKind.EACH_MONTH
        and w.end < today
    ]
    last_fire = ended_fire[-1] if ended_fire else None
    counts: dict[str, int] = {}
    schools = School.objects.filter(district=district, active=True).order_by("name")
    for index, school in enumerate(schools):
        gap = GAPS[index % len(GAPS)]
        counts[gap] = counts.get(gap, 0) + 1
        for window in windows:
            if window.start > today:
                continue
            if (
                gap == "lockdown_first"
                and window.drill_type == "lockdown"
                and (window.requirement.kind == engine.WindowKind.FIRST_DAYS)
            ):
                continue
            if gap == "fire_last_month" and window == last_fire:
                continue
            if gap == "open_windows" and window.end >= today:
                continue
            day = min(window.start + dt.timedelta(days=index % 3), window.end, today)
            if window.requirement.extra:
                day = window.start
            started = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30 + index % 20)))
            for _ in range(window.requirement.count):
                drill_log(
                    school=school,
                    drill_type=types[window.drill_type],
                    started_at=started,
                    duration_minutes=8 + index % 7,
                    time_to_clear_seconds=150 + (index * 37) % 200,
                    participants=300 + (index * 53) % 900,
                    observers="Zone SSO" if index % 2 else "Fire department",
                    issues="" if index % 4 else "Door at the east stairwell propped open.",
                    actor=actor,
                    now=timezone.now() + dt.timedelta(days=1),
                )
    return counts


def demo_safety_seed(*, district: District, today: dt.date, actor: str) -> SchoolYear:
    """Seed rules, the current school year's calendar and a drill log for the demo district."""
    with transaction.atomic():
        safety_defaults_seed(district=district, actor=actor)
        start_year = today.year if today.month >= 7 else today.year - 1
        year = demo_school_year_create(district=district, start_year=start_year, actor=actor)
        demo_drill_log(district=district, year=year, today=today, actor=actor)
    return year


SECTION_TEXT = {
    "medical": "Call 911, then the front office (ext. 100). Nurse and AED team respond; "
    "first aid kits in every wing office.",
    "fire": "Pull the nearest alarm, evacuate by the posted primary route, assemble at the "
    "north field by homeroom; teachers take rosters.",
    "severe_weather": "On a tornado warning, move to the interior safe zones posted in each "
    "room; drop and cover.",
    "earthquake": "Drop, cover and hold on; evacuate when shaking stops, avoiding the gym.",
    "lockdown": "Lock, lights, out of sight. Announce 'Lockdown' over the PA; call 911 and "
    "the zone SSO.",
    "cardiac": "AEDs at the main office, gym lobby and cafeteria; CPR team of six staff; "
    "rehearsed before each athletic season.",
    "evacuation": "Primary and secondary routes posted in every room (see floor plan).",
    "safe_zones": "Interior hallways B and C, ground floor; posted in every room.",
    "reunification": "Reunification at the partner church lot; parents checked against "
    "emergency cards.",
    "access_control": "Single entrance with electronic lock, camera and intercom; visitors "
    "badge in; exterior doors kept closed and locked.",
}


def demo_workspace_seed(*, district: District, today: dt.date, actor: str) -> None:
    """Seed the SA workspace: calendar and drills for every school, and for the demo SA's
    schools an approved plan and a draft, a facility audit with findings and an incident."""
    year = demo_safety_seed(district=district, today=today, actor=actor)
    template = facility_defaults_seed(district=district, actor=actor)
    sa = User.objects.filter(username="demo-sa").first()
    principal = User.objects.filter(username="demo-principal").first()
    sa_person = Person.objects.filter(user=sa).first()
    if sa is None or principal is None or sa_person is None:
        return
    schools = list(
        School.objects.filter(
            assignments__person=sa_person, assignments__ends_on__isnull=True
        ).order_by("-level", "name")
    )
    principal_school = School.objects.filter(
        assignments__person__user=principal, assignments__ends_on__isnull=True
    ).first()
    schools.sort(key=lambda s: s != principal_school)
    if not schools:
        return
    with transaction.atomic():
        approved = plan_create(school=schools[0], school_year=year, actor=sa)
        plan_save_version(plan=approved, sections=SECTION_TEXT, actor=sa, note="Annual update")
        plan_submit(plan=approved, actor=sa)
        plan_approve(plan=approved, actor=principal)
        briefing = timezone.make_aware(
            dt.datetime.combine(year.first_day - dt.timedelta(days=2), dt.time(13, 0))
        )
        plan_record_briefing(
            plan=approved, at=briefing, attendance=84, notes="All-staff meeting", actor=sa
        )
        if len(schools) > 1:
            draft = plan_create(school=schools[1], school_year=year, actor=sa)
            partial = {k: v for k, v in SECTION_TEXT.items() if k not in ("cardiac", "lockdown")}
            plan_save_version(plan=draft, sections=partial, actor=sa, note="First draft")
        else:
            plan_record_shared(
                plan=approved, on=year.first_day, shared_with="Fire, police, EMS", actor=sa
            )
        items = list(template.items.all())
        failing = {"classroom_doors_locked", "front_cameras"}
        audit: FacilityAudit = facility_audit_record(
            school=schools[0],
            template=template,
            conducted_on=today - dt.timedelta(days=10),
            results={
                item.pk: (
                    (ItemResult.FAIL, "Found unlocked in the east wing")
                    if item.code in failing
                    else (ItemResult.PASS, "")
                )
                for item in items
            },
            notes="Quarterly walk-through",
            actor=sa,
        )
        first_finding = audit.findings.order_by("id").first()
        if first_finding is not None:
            remediation_task_create(
                finding=first_finding,
                description="Replace the camera power supply at the front doors",
                owner=sa_person,
                due_on=today + dt.timedelta(days=3),
                actor=sa,
            )
        incident_record(
            school=schools[-1],
            kind=IncidentKind.MEDICAL,
            occurred_at=timezone.now() - dt.timedelta(days=2),
            place="Gym",
            summary="A student collapsed during PE; breathing, responsive.",
            actions_taken="AED team responded; EMS called; parent notified.",
            people=[
                PersonInput(PersonRole.STUDENT, 1, "patient"),
                PersonInput(PersonRole.STAFF, 3),
            ],
            referrals=[ReferralInput(ReferralTo.EMS), ReferralInput(ReferralTo.COUNSELOR)],
            follow_up_on=today + dt.timedelta(days=2),
            actor=sa,
        )
