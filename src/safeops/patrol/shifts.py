"""When an SSO is on shift: the one place patrol asks (the roster app replaces the body)."""

from __future__ import annotations

import datetime as dt

from safeops.patrol.models import PatrolSettings
from safeops.staff.models import Person

SATURDAY = 5


def shift_window(*, person: Person, day: dt.date) -> tuple[int, int] | None:
    """The person's shift on `day` as (start, end) minutes since midnight, or None when off.

    Until the roster app records real shifts: weekdays (and weekends where the district
    plans them), within the district's patrol settings
    (default 07:00–15:30).
    """
    settings = PatrolSettings.objects.filter(district_id=person.district_id).first()
    if settings is None:
        settings = PatrolSettings(district_id=person.district_id)
    if not person.active or (day.weekday() >= SATURDAY and not settings.weekends):
        return None
    return settings.shift_start, settings.shift_end
