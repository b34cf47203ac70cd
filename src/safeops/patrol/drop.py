"""Automatic coverage drop: when a zone's officer is gone, the neighbours take its bell windows.

An officer with planned stops left today is gone when
- the roster says so: on leave, relieved, or the shift is over (`shifts.shift_window`);
- they went off duty after their shift started (dispatch's duty status);
- they have held one call for `PatrolSettings.long_call_minutes` or more.

The job (`patrol.coverage_drop`, every few minutes) hands each such officer's rest of the day to
the neighbours with `services.plan_absorb` (the same service as the supervisor's button), once
per plan and day; the coverage page lists what each neighbour took and what was lost.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeops.core.audit import Actor
from safeops.dispatch.choices import HELD
from safeops.dispatch.models import OfficerStatus, SupportRequest
from safeops.patrol.adapter import patrol_settings
from safeops.patrol.choices import DropReason, VisitStatus
from safeops.patrol.models import PatrolPlan
from safeops.patrol.services import plan_absorb
from safeops.patrol.shifts import shift_window
from safeops.roster.selectors import is_reachable


def _minute(at: dt.datetime) -> int:
    local = timezone.localtime(at)
    return local.hour * 60 + local.minute


def drop_reason(*, plan: PatrolPlan, at: dt.datetime, long_call_minutes: int) -> DropReason | None:
    """Why the plan's officer can no longer work it at `at`, or None."""
    minute = _minute(at)
    shift = shift_window(person=plan.person, day=plan.day)
    if shift is None or minute >= shift[1] or not is_reachable(person_id=plan.person_id, at=at):
        return DropReason.OFF
    status = OfficerStatus.objects.filter(person_id=plan.person_id).first()
    if (
        status is not None
        and not status.on_duty
        and status.duty_changed_at is not None
        and timezone.localtime(status.duty_changed_at).date() == plan.day
        and _minute(status.duty_changed_at) >= shift[0]
    ):
        return DropReason.OFF_DUTY
    long_since = at - dt.timedelta(minutes=long_call_minutes)
    if SupportRequest.objects.filter(
        officer_id=plan.person_id, status__in=HELD, assigned_at__lte=long_since
    ).exists():
        return DropReason.LONG_CALL
    return None


def coverage_drop(*, district_id: int, at: dt.datetime, actor: Actor) -> list[PatrolPlan]:
    """Absorb the day of every officer of the district who is gone at `at` (once a day)."""
    day = timezone.localtime(at).date()
    minute = _minute(at)
    rules = patrol_settings(district_id=district_id)
    plans = (
        PatrolPlan.objects.filter(district_id=district_id, day=day, absorbed_reason="")
        .filter(visits__status=VisitStatus.PLANNED, visits__arrive_minute__gte=minute)
        .select_related("person")
        .distinct()
    )
    dropped = []
    for plan in plans:
        reason = drop_reason(plan=plan, at=at, long_call_minutes=rules.long_call_minutes)
        if reason is not None:
            dropped.append(
                plan_absorb(
                    person_id=plan.person_id,
                    day=day,
                    from_minute=minute,
                    actor=actor,
                    reason=reason,
                )
            )
    return dropped
