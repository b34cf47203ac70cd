"""Reads of the roster. Other apps call three of them by name (keep them):

- `on_shift_person_ids(district_id=, at=)`: officers whose shift contains `at` (dispatch
  recommends only them, see `roster/dispatching.py` and docs/roster.md);
- `shift_window(person_id=, day=)`: the officer's working window that day (patrol);
- `is_reachable(person_id=, at=)`: whether routine alerts should reach the officer now
  (the notification service's availability check).

A district with no shift on a given day has no roster for that day: the dispatch filter and
`is_reachable` then fall back to the officer's duty status (docs/roster.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from safeops.access import Action, AnyUser, Reach, Resource, restrict, viewer_for
from safeops.roster.models import CoverageEvent, Leave, Shift
from safeops.roster.services import local_day_bounds
from safeops.staff.choices import Role
from safeops.staff.models import Person


def _leave_person_ids(*, district_id: int, day: dt.date) -> set[int]:
    return set(
        Leave.objects.filter(
            district_id=district_id, first_day__lte=day, last_day__gte=day
        ).values_list("person_id", flat=True)
    )


def on_shift_person_ids(*, district_id: int, at: dt.datetime) -> frozenset[int]:
    """Officers of the district whose shift contains `at` (start included, end excluded) and
    who are not on leave that day."""
    on_shift = set(
        Shift.objects.filter(
            district_id=district_id, starts_at__lte=at, ends_at__gt=at
        ).values_list("person_id", flat=True)
    )
    day = timezone.localtime(at).date()
    return frozenset(on_shift - _leave_person_ids(district_id=district_id, day=day))


def district_has_roster(*, district_id: int, day: dt.date) -> bool:
    """Whether any shift of the district falls on the local `day` (else: no roster that day)."""
    start, end = local_day_bounds(day)
    return Shift.objects.filter(
        district_id=district_id, starts_at__lt=end, ends_at__gt=start
    ).exists()


def shift_window(*, person_id: int, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """From the start of the officer's first shift touching the local `day` to the end of the
    last one (None: no shift that day, or on leave)."""
    start, end = local_day_bounds(day)
    shifts = list(
        Shift.objects.filter(person_id=person_id, starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at", "district_id")
    )
    if not shifts:
        return None
    if person_id in _leave_person_ids(district_id=shifts[0][2], day=day):
        return None
    return shifts[0][0], max(row[1] for row in shifts)


def is_reachable(*, person_id: int, at: dt.datetime) -> bool:
    """Should a routine alert reach the officer at `at`? On shift: yes; off shift or on leave
    in a district that keeps a roster that day: no; no roster that day: yes (the duty status
    decides, as before rosters)."""
    district_id = Person.objects.filter(pk=person_id).values_list("district_id", flat=True).first()
    if district_id is None:
        return False
    day = timezone.localtime(at).date()
    if person_id in _leave_person_ids(district_id=district_id, day=day):
        return False
    if not district_has_roster(district_id=district_id, day=day):
        return True
    return Shift.objects.filter(person_id=person_id, starts_at__lte=at, ends_at__gt=at).exists()


# --- Pages -------------------------------------------------------------------------------------


@dataclass
class OfficerWeek:
    person: Person
    days: list[list[Shift]]
    leave: list[Leave | None]
    hours: float = 0.0


@dataclass(frozen=True)
class EventCover:
    event: CoverageEvent
    shifts: list[Shift]  # the officers covering it (relief shifts included)

    @property
    def missing(self) -> int:
        covering = {s.person_id for s in self.shifts if s.relieves_id is None}
        return max(0, self.event.officers_needed - len(covering))


@dataclass
class RosterWeek:
    start: dt.date
    days: list[dt.date]
    officers: list[OfficerWeek]
    events: list[EventCover]

    @property
    def previous(self) -> dt.date:
        return self.start - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.start + dt.timedelta(days=7)


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def roster_week_for_user(*, user: AnyUser, start: dt.date) -> RosterWeek:
    """The officers the user may see, each day's shifts and leave, and the week's events."""
    days = [start + dt.timedelta(days=i) for i in range(7)]
    first, _end = local_day_bounds(days[0])
    _start, last = local_day_bounds(days[-1])
    shifts = list(
        restrict(Shift.objects.all(), user)
        .filter(starts_at__lt=last, ends_at__gt=first)
        .select_related("person", "coverage_event", "relieves__person")
        .order_by("starts_at")
    )
    leaves = list(
        restrict(Leave.objects.all(), user)
        .filter(first_day__lte=days[-1], last_day__gte=days[0])
        .select_related("person")
    )
    people = {s.person_id: s.person for s in shifts} | {lv.person_id: lv.person for lv in leaves}
    viewer = viewer_for(user)
    if viewer.reach(Resource.SHIFT, Action.VIEW) == Reach.ALL:
        officers = Person.objects.filter(role=Role.SSO, active=True)
        if viewer.district_id is not None:
            officers = officers.filter(district_id=viewer.district_id)
        people |= {p.pk: p for p in officers}
    rows = {
        pid: OfficerWeek(p, [[] for _ in days], [None] * 7)
        for pid, p in sorted(people.items(), key=lambda kv: kv[1].full_name)
    }
    for shift in shifts:
        index = (timezone.localtime(shift.starts_at).date() - days[0]).days
        row = rows[shift.person_id]
        if 0 <= index < 7:
            row.days[index].append(shift)
        row.hours += (shift.ends_at - shift.starts_at).total_seconds() / 3600
    for leave in leaves:
        for i, day in enumerate(days):
            if leave.first_day <= day <= leave.last_day:
                rows[leave.person_id].leave[i] = leave
    events = list(
        restrict(CoverageEvent.objects.all(), user)
        .filter(starts_at__lt=last, ends_at__gt=first)
        .select_related("school")
    )
    covered: dict[int, list[Shift]] = defaultdict(list)
    for shift in Shift.objects.filter(coverage_event__in=events).select_related("person"):
        if shift.coverage_event_id is not None:
            covered[shift.coverage_event_id].append(shift)
    covers = [EventCover(event, covered.get(event.pk, [])) for event in events]
    return RosterWeek(days[0], days, list(rows.values()), covers)


def my_shifts(*, user: AnyUser, since: dt.datetime, days: int = 14) -> list[Shift]:
    """The user's own shifts ending after `since`, for `days` days."""
    person_id = viewer_for(user).person_id
    if person_id is None:
        return []
    return list(
        Shift.objects.filter(
            person_id=person_id,
            ends_at__gt=since,
            starts_at__lt=since + dt.timedelta(days=days),
        )
        .select_related("coverage_event", "relieves__person")
        .order_by("starts_at")
    )


def my_leave(*, user: AnyUser, since: dt.date, days: int = 14) -> list[Leave]:
    person_id = viewer_for(user).person_id
    if person_id is None:
        return []
    return list(
        Leave.objects.filter(
            person_id=person_id,
            last_day__gte=since,
            first_day__lte=since + dt.timedelta(days=days),
        )
    )


def shift_get_for_user(*, user: AnyUser, shift_id: int, action: Action = Action.VIEW) -> Shift:
    shift = (
        restrict(Shift.objects.filter(pk=shift_id), user, action)
        .select_related("person", "coverage_event", "relieves__person")
        .first()
    )
    if shift is None:
        raise Http404(gettext("No such shift in your scope."))
    return shift


def event_get_for_user(
    *, user: AnyUser, event_id: int, action: Action = Action.VIEW
) -> CoverageEvent:
    event = restrict(CoverageEvent.objects.filter(pk=event_id), user, action).first()
    if event is None:
        raise Http404(gettext("No such event in your scope."))
    return event


def officers_for_user(*, user: AnyUser) -> QuerySet[Person]:
    """Active SSOs the user may put on the roster (their district)."""
    viewer = viewer_for(user)
    if viewer.reach(Resource.SHIFT, Action.CHANGE) == Reach.NONE:
        return Person.objects.none()
    officers = Person.objects.filter(role=Role.SSO, active=True)
    if viewer.district_id is not None:
        officers = officers.filter(district_id=viewer.district_id)
    return officers.order_by("full_name")


def leave_get_for_user(*, user: AnyUser, leave_id: int, action: Action = Action.VIEW) -> Leave:
    leave = restrict(Leave.objects.filter(pk=leave_id), user, action).first()
    if leave is None:
        raise Http404(gettext("No such leave in your scope."))
    return leave


# --- API ---------------------------------------------------------------------------------------


def shifts_for_user(*, user: AnyUser, since: dt.datetime, until: dt.datetime) -> list[Shift]:
    """Shifts the user may see (supervisors: the district's; an SSO: their own) overlapping
    [since, until)."""
    return list(
        restrict(Shift.objects.filter(ends_at__gt=since, starts_at__lt=until), user)
        .select_related("person")
        .order_by("starts_at", "pk")
    )


def leave_for_user(*, user: AnyUser, first: dt.date, last: dt.date) -> list[Leave]:
    """Leave the user may see touching the days first..last."""
    return list(
        restrict(Leave.objects.filter(last_day__gte=first, first_day__lte=last), user)
        .select_related("person")
        .order_by("first_day", "pk")
    )
