"""Shared set-up for the roster tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeops.roster.models import Shift
from safeops.roster.services import shift_create
from safeops.staff.models import Person

ACTOR = "system:test"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def shift(person: Person, day: dt.date, start: int, end: int) -> Shift:
    """A shift from `start` to `end` o'clock (an end at or before the start: next day)."""
    end_day = day if end > start else day + dt.timedelta(days=1)
    return shift_create(
        person=person, starts_at=at(day, start), ends_at=at(end_day, end), actor=ACTOR
    )
