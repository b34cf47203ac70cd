"""Reads of calendars, rules, the drill log and compliance, always narrowed by safeops.access."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from safeops.access import (
    Action,
    AnyUser,
    current_filter,
    restrict,
    schools_with_access,
)
from safeops.drills import engine
from safeops.drills.models import (
    CorrectiveAction,
    Drill,
    DrillRule,
    DrillType,
    NonInstructionalDay,
    SchoolYear,
)
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from safeops.zones.selectors import patrol_zone_names

NO_SCHOOL_YEAR = "No school calendar covers this date yet: the security chief's office adds it."


def school_year_for(*, district_id: int, on: dt.date) -> SchoolYear | None:
    """The school year containing `on`, else the latest one that began before it."""
    years = SchoolYear.objects.filter(district_id=district_id)
    current = years.filter(first_day__lte=on, last_day__gte=on).first()
    if current is not None:
        return current
    return years.filter(first_day__lte=on).order_by("-first_day").first() or (
        years.order_by("first_day").first()
    )


def non_instructional_reason(*, district_id: int, on: dt.date) -> str | None:
    """Why `on` is not a school day in the district's calendar (its reason, or "no school"),
    or None when it is one or no calendar covers it."""
    day = NonInstructionalDay.objects.filter(school_year__district_id=district_id, date=on).first()
    if day is None:
        return None
    return day.reason or "no school"


def calendar_of(year: SchoolYear) -> engine.Calendar:
    return engine.Calendar(
        first_day=year.first_day,
        last_day=year.last_day,
        non_instructional=frozenset(year.non_instructional_days.values_list("date", flat=True)),
    )


def rules_of(*, district_id: int) -> list[engine.Rule]:
    rows = (
        DrillRule.objects.filter(district_id=district_id, active=True, drill_type__active=True)
        .select_related("drill_type")
        .order_by("drill_type__name", "id")
    )
    grouped: dict[str, tuple[DrillType, list[DrillRule]]] = {}
    for row in rows:
        grouped.setdefault(row.drill_type.code, (row.drill_type, []))[1].append(row)
    rules = []
    for code, (drill_type, items) in grouped.items():
        sources = list(dict.fromkeys(item.legal_source for item in items))
        rules.append(
            engine.Rule(
                drill_type=code,
                label=drill_type.name.lower(),
                legal_source="; ".join(sources),
                requirements=tuple(
                    engine.Requirement(
                        kind=engine.WindowKind(item.kind),
                        param=item.param,
                        count=item.count,
                        extra=item.extra,
                    )
                    for item in items
                ),
            )
        )
    return rules


def rule_list(*, district_id: int) -> QuerySet[DrillRule]:
    return (
        DrillRule.objects.filter(district_id=district_id, active=True)
        .select_related("drill_type")
        .order_by("drill_type__name", "kind")
    )


def _drill_dates(
    school_ids: Iterable[int], year: SchoolYear
) -> dict[int, dict[str, list[dt.date]]]:
    start = timezone.make_aware(dt.datetime.combine(year.first_day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(year.last_day, dt.time.max))
    by_school: dict[int, dict[str, list[dt.date]]] = defaultdict(lambda: defaultdict(list))
    rows = Drill.objects.filter(
        school_id__in=list(school_ids), started_at__gte=start, started_at__lte=end
    ).values_list("school_id", "drill_type__code", "started_at")
    for school_id, code, started_at in rows:
        by_school[school_id][code].append(timezone.localtime(started_at).date())
    return by_school


@dataclass(frozen=True)
class SchoolCompliance:
    school: School
    year: SchoolYear | None
    compliance: engine.Compliance

    @property
    def status_label(self) -> str:
        return engine.STATUS_LABELS[self.compliance.status]


def _compliance_for(
    schools: list[School], on: dt.date, due_soon_days: int
) -> list[SchoolCompliance]:
    results: list[SchoolCompliance] = []
    by_district: dict[int, list[School]] = defaultdict(list)
    for school in schools:
        by_district[school.district_id].append(school)
    for district_id, members in by_district.items():
        year = school_year_for(district_id=district_id, on=on)
        if year is None:
            for school in members:
                empty = engine.Compliance(on=on, status=engine.Status.COMPLIANT)
                results.append(SchoolCompliance(school, None, empty))
            continue
        calendar = calendar_of(year)
        rules = rules_of(district_id=district_id)
        dates = _drill_dates([s.pk for s in members], year)
        for school in members:
            compliance = engine.evaluate(
                calendar=calendar,
                rules=rules,
                drills=dates.get(school.pk, {}),
                on=on,
                due_soon_days=due_soon_days,
            )
            results.append(SchoolCompliance(school, year, compliance))
    return results


def compliance_list_for_user(
    *,
    user: AnyUser,
    on: dt.date | None = None,
    due_soon_days: int = engine.DEFAULT_DUE_SOON_DAYS,
) -> list[SchoolCompliance]:
    """Every active school the user may see drills of, riskiest first."""
    day = on or timezone.localdate()
    schools = list(schools_with_access(user))
    results = _compliance_for(schools, day, due_soon_days)
    return sorted(results, key=lambda r: (engine.risk_key(r.compliance), r.school.name))


@dataclass(frozen=True)
class DrillOverview:
    rows: list[SchoolCompliance]
    zones: dict[int, str]  # school id -> its patrol zone's name


def drill_overview_for_user(*, user: AnyUser, on: dt.date | None = None) -> DrillOverview:
    """The compliance list and each school's patrol zone (the dashboard's filter and map)."""
    rows = compliance_list_for_user(user=user, on=on)
    zones = patrol_zone_names(school_ids=[r.school.pk for r in rows])  # today's zones
    return DrillOverview(rows=rows, zones=zones)


@dataclass(frozen=True)
class SchoolDrillPage:
    school: School
    status: SchoolCompliance
    drills: list[Drill]
    rules: list[DrillRule]
    open_actions: list[CorrectiveAction]


def school_drills_for_user(
    *, user: AnyUser, school_id: int, on: dt.date | None = None
) -> SchoolDrillPage:
    school = schools_with_access(user).filter(pk=school_id).first()
    if school is None:
        raise Http404(gettext("No such school in your scope."))
    day = on or timezone.localdate()
    status = _compliance_for([school], day, engine.DEFAULT_DUE_SOON_DAYS)[0]
    drills = list(
        restrict(Drill.objects.filter(school=school), user)
        .select_related("drill_type", "recorded_by")
        .prefetch_related("corrective_actions__owner")
        .order_by("-started_at")[:100]
    )
    open_actions = list(
        CorrectiveAction.objects.filter(drill__school=school, done_on__isnull=True)
        .select_related("owner", "drill__drill_type")
        .order_by("due_on")
    )
    return SchoolDrillPage(
        school=school,
        status=status,
        drills=drills,
        rules=list(rule_list(district_id=school.district_id)),
        open_actions=open_actions,
    )


def drill_school_get_for_user(*, user: AnyUser, school_id: int) -> School:
    """A school whose drills the user may change (404 otherwise)."""
    school = schools_with_access(user, Action.CHANGE).filter(pk=school_id).first()
    if school is None:
        raise Http404(gettext("No such school in your scope."))
    return school


def corrective_action_get_for_user(*, user: AnyUser, action_id: int) -> CorrectiveAction:
    action = CorrectiveAction.objects.select_related("drill").filter(pk=action_id).first()
    if action is None:
        raise Http404(gettext("No such corrective action."))
    drill_school_get_for_user(user=user, school_id=action.drill.school_id)
    return action


def drill_types_for(*, district_id: int) -> QuerySet[DrillType]:
    return DrillType.objects.filter(district_id=district_id, active=True).order_by("name")


@dataclass(frozen=True)
class VerificationRow:
    school: School
    compliant: bool
    held: dict[str, int]
    missing: list[str]  # the engine's English reasons (the CSV)
    overdue: list[engine.WindowResult]  # the same windows, for the page (in its language)


@dataclass(frozen=True)
class VerificationReport:
    year: SchoolYear
    on: dt.date
    type_names: list[tuple[str, str]]
    rows: list[VerificationRow]

    @property
    def compliant_count(self) -> int:
        return sum(1 for row in self.rows if row.compliant)


def verification_report_for_user(*, user: AnyUser, year_id: int) -> VerificationReport:
    """The district's November 1 verification (KRS 158.162): each school's drills held by
    then, and every window that closed by then without its drill."""
    year = SchoolYear.objects.filter(pk=year_id).first()
    if year is None or not restrict(SchoolYear.objects.filter(pk=year_id), user).exists():
        raise Http404(gettext("No such school year."))
    on = dt.date(year.first_day.year, 11, 1)
    schools = list(schools_with_access(user).filter(district_id=year.district_id))
    results = sorted(_compliance_for(schools, on, 0), key=lambda r: r.school.name)
    types = [(t.code, t.name) for t in drill_types_for(district_id=year.district_id)]
    dates = _drill_dates([s.pk for s in schools], year)
    rows = []
    for result in results:
        held = {
            code: sum(1 for d in dates.get(result.school.pk, {}).get(code, []) if d <= on)
            for code, _name in types
        }
        overdue = result.compliance.overdue
        missing = [w.reason for w in overdue]
        rows.append(VerificationRow(result.school, not missing, held, missing, overdue))
    return VerificationReport(year=year, on=on, type_names=types, rows=rows)


def school_year_list_for_user(*, user: AnyUser) -> QuerySet[SchoolYear]:
    return restrict(SchoolYear.objects.all(), user).order_by("-first_day")


@dataclass(frozen=True)
class ReminderTarget:
    school: School
    result: engine.WindowResult
    recipients: list[tuple[int | None, str]]  # (user id, e-mail address)


def reminder_targets(*, on: dt.date, within_days: int) -> list[ReminderTarget]:
    """Unmet windows closing within `within_days`, with the school's SAs and principal (user id and
    e-mail address).

    A system read (the reminder job), not narrowed by a user."""
    schools = list(School.objects.filter(active=True))
    targets = []
    people = (
        Assignment.objects.filter(
            current_filter(on),
            school__isnull=False,
            person__active=True,
            person__role__in=[Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL],
        )
        .exclude(person__email="")
        .values_list("school_id", "person__user_id", "person__email")
    )
    emails: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    for school_id, user_id, email in people:
        emails[school_id].append((user_id, email))
    for item in _compliance_for(schools, on, within_days):
        if not emails.get(item.school.pk):
            continue
        for result in item.compliance.due_soon:
            targets.append(
                ReminderTarget(
                    item.school, result, sorted(emails[item.school.pk], key=lambda pair: pair[1])
                )
            )
    return targets


@dataclass(frozen=True)
class DueWindow:
    school: School
    result: engine.WindowResult


def due_windows_for_user(
    *, user: AnyUser, on: dt.date, within_days: int, school_ids: Iterable[int] | None = None
) -> list[DueWindow]:
    """Overdue windows and windows closing within `within_days`, for the user's schools."""
    schools = schools_with_access(user)
    if school_ids is not None:
        schools = schools.filter(pk__in=list(school_ids))
    items = _compliance_for(list(schools), on, within_days)
    return [
        DueWindow(item.school, result)
        for item in items
        for result in item.compliance.windows
        if result.needs_action
    ]


def upcoming_windows_for_school(*, user: AnyUser, school_id: int, on: dt.date) -> SchoolCompliance:
    """The whole year's windows for one school (the iCalendar feed)."""
    school = schools_with_access(user).filter(pk=school_id).first()
    if school is None:
        raise Http404(gettext("No such school in your scope."))
    return _compliance_for([school], on, engine.DEFAULT_DUE_SOON_DAYS)[0]


def corrective_actions_due_for_user(
    *, user: AnyUser, on: dt.date, within_days: int
) -> list[CorrectiveAction]:
    """Open corrective actions overdue or due within `within_days` at the user's schools."""
    horizon = on + dt.timedelta(days=within_days)
    return list(
        CorrectiveAction.objects.filter(
            drill__in=restrict(Drill.objects.all(), user),
            done_on__isnull=True,
            due_on__lte=horizon,
        )
        .select_related("drill__school", "drill__drill_type", "owner")
        .order_by("due_on")
    )


def drill_compliance_for_reports(*, district_id: int, on: dt.date) -> dict[int, str]:
    """Each active school's drill status on `on` (compliant, due soon, overdue) by school id:
    the district's compliance view for the accountability reports."""
    schools = list(School.objects.filter(district_id=district_id, active=True))
    return {row.school.pk: str(row.compliance.status) for row in _compliance_for(schools, on, 0)}
