"""The roster's say in dispatch: only on-shift officers are recommended.

`off_shift_filter` is registered into dispatch's officer filters (`dispatch.recommend`) from
`RosterConfig.ready`. It keeps each district's shifts and leave of the day per process (one
load, then `at` is checked in memory, so a recommendation stays query-free); saving or deleting
a shift or leave drops it here, other processes see it within PROCESS_CACHE_SECONDS.

The rule (docs/roster.md): an officer on leave that day is never recommended; a district with
no shift on the local day has no roster that day, and dispatch recommends by duty status alone,
as before rosters; otherwise only officers whose shift contains the moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from safeops.core.caches import TimedCache
from safeops.roster.models import Leave, Shift
from safeops.roster.services import local_day_bounds


@dataclass(frozen=True)
class DayRoster:
    shifts: tuple[tuple[int, dt.datetime, dt.datetime], ...]  # person id, start, end
    on_leave: frozenset[int]


_days: TimedCache[tuple[int, dt.date], DayRoster] = TimedCache(
    seconds=lambda: float(settings.PROCESS_CACHE_SECONDS)
)


def _load(district_id: int, day: dt.date) -> DayRoster:
    start, end = local_day_bounds(day)
    shifts = Shift.objects.filter(district_id=district_id, starts_at__lt=end, ends_at__gt=start)
    leave = Leave.objects.filter(district_id=district_id, first_day__lte=day, last_day__gte=day)
    return DayRoster(
        shifts=tuple(shifts.values_list("person_id", "starts_at", "ends_at")),
        on_leave=frozenset(leave.values_list("person_id", flat=True)),
    )


def off_shift_filter(district_id: int, at: dt.datetime, on_duty: frozenset[int]) -> frozenset[int]:
    """Which of the on-duty officers to leave out at `at`: those on leave that day and, when
    the district keeps a roster that day, those not on shift."""
    day = timezone.localtime(at).date()
    roster = _days.get((district_id, day), lambda: _load(district_id, day))
    out = on_duty & roster.on_leave
    if roster.shifts:
        on_shift = {person for person, starts, ends in roster.shifts if starts <= at < ends}
        out |= on_duty - on_shift
    return frozenset(out)


def forget_roster(**_kwargs: Any) -> None:
    """Signal receiver: a shift or leave changed."""
    _days.clear()
