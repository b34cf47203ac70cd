"""When an SSO is on shift: the one place patrol asks.

A district that keeps a roster that day (safeops.roster) plans each officer within their
recorded shift (none, or on leave: no plan). Without a roster that day, the district's patrol
settings give the shift (default 07:00–15:30 on weekdays).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeops.patrol.models import PatrolSettings
from safeops.roster.selectors import district_has_roster
from safeops.roster.selectors import shift_window as rostered_window
from safeops.staff.models import Person

SATURDAY = 5


def shift_window(*, person: Person, day: dt.date) -> tuple[int, int] | None:
    """The person's shift on `day` as (start, end) minutes since midnight, or None when off.

    Until the roster app records real shifts: weekdays (and weekends where the district
    plans them), within the district's patrol settings
    (default 07:00–15:30).
    """
    if not person.active:
        return None
    if district_has_roster(district_id=person.district_id, day=day):
        return _minutes_of(rostered_window(person_id=person.pk, day=day), day)
    settings = PatrolSettings.objects.filter(district_id=person.district_id).first()
    if settings is None:
        settings = PatrolSettings(district_id=person.district_id)
    if not person.active or (day.weekday() >= SATURDAY and not settings.weekends):
        return None
    return settings.shift_start, settings.shift_end


def _minutes_of(
    window: tuple[dt.datetime, dt.datetime] | None, day: dt.date
) -> tuple[int, int] | None:
    """A rostered shift as minutes since the local midnight of `day`, cut to that day."""
    if window is None:
        return None
    midnight = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    start = max(0, int((window[0] - midnight).total_seconds() // 60))
    end = min(24 * 60, int((window[1] - midnight).total_seconds() // 60))
    return (start, end) if end > start else None
