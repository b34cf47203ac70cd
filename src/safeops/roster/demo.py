"""The roster part of the demo district: every SSO on shift now (so dispatch recommends as
before), tomorrow's day shifts, one officer's day off the day after, and a ball game tomorrow
evening that needs two officers and has one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeops.core.audit import Actor
from safeops.roster.models import EventKind, LeaveKind
from safeops.roster.services import (
    coverage_assign,
    coverage_event_create,
    leave_record,
    shift_create,
)
from safeops.schools.models import District
from safeops.staff.choices import Role
from safeops.staff.models import Person


def roster_demo_seed(*, district: District, actor: Actor) -> int:
    """Returns how many shifts were written."""
    officers = list(
        Person.objects.filter(district=district, role=Role.SSO, active=True).order_by("pk")
    )
    if not officers:
        return 0
    now = timezone.localtime()
    start = now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=2)
    tomorrow = now.date() + dt.timedelta(days=1)
    day_start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(7, 0)))
    written = 0
    for officer in officers:
        shift_create(
            person=officer, starts_at=start, ends_at=start + dt.timedelta(hours=10), actor=actor
        )
        written += 1
    off_day = tomorrow + dt.timedelta(days=1)
    leave_record(
        person=officers[-1],
        first_day=off_day,
        last_day=off_day,
        kind=LeaveKind.DAY_OFF,
        actor=actor,
    )
    for officer in officers:
        if day_start >= start + dt.timedelta(hours=10):
            shift_create(
                person=officer,
                starts_at=day_start,
                ends_at=day_start + dt.timedelta(hours=8, minutes=30),
                actor=actor,
            )
            written += 1
    game_start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(18, 30)))
    game = coverage_event_create(
        district=district,
        title="Varsity football",
        kind=EventKind.ATHLETIC,
        starts_at=game_start,
        ends_at=game_start + dt.timedelta(hours=3, minutes=30),
        officers_needed=2,
        actor=actor,
    )
    coverage_assign(event=game, person=officers[0], actor=actor)
    return written + 1
