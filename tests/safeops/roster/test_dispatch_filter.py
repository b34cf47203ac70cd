"""Dispatch recommends only on-shift officers once the district keeps a roster for the day;
without one (no shift that day) it recommends by duty status alone, as before rosters; an
officer on leave that day is never recommended."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeops.dispatch.services import officer_duty_set, request_candidates
from safeops.roster.models import LeaveKind
from safeops.roster.services import leave_record, shift_cancel, shift_create
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.roster.helpers import ACTOR

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _around_now(person: object, *, starts: float, ends: float) -> object:
    now = timezone.now()
    return shift_create(
        person=person,  # type: ignore[arg-type]
        starts_at=now + dt.timedelta(hours=starts),
        ends_at=now + dt.timedelta(hours=ends),
        actor=ACTOR,
    )


def _recommended(dispatch: DispatchScenario) -> set[int]:
    request = dispatch.file()
    return {c.officer_id for c in request_candidates(request=request)}


def test_without_a_roster_every_on_duty_officer_is_recommended(
    dispatch: DispatchScenario,
) -> None:
    assert _recommended(dispatch) == {dispatch.officer_a.pk, dispatch.officer_b.pk}


def test_with_a_roster_only_the_officer_on_shift_is_recommended(
    dispatch: DispatchScenario,
) -> None:
    _around_now(dispatch.officer_a, starts=-1, ends=4)
    assert _recommended(dispatch) == {dispatch.officer_a.pk}


def test_an_officer_whose_shift_has_ended_is_not_recommended(dispatch: DispatchScenario) -> None:
    _around_now(dispatch.officer_a, starts=-1, ends=4)
    _around_now(dispatch.officer_b, starts=-3, ends=-0.01)  # ended a moment ago
    assert _recommended(dispatch) == {dispatch.officer_a.pk}


def test_a_shift_change_shows_at_once_in_this_process(dispatch: DispatchScenario) -> None:
    first = _around_now(dispatch.officer_a, starts=-1, ends=4)
    assert _recommended(dispatch) == {dispatch.officer_a.pk}
    _around_now(dispatch.officer_b, starts=-0.5, ends=2)
    assert _recommended(dispatch) == {dispatch.officer_a.pk, dispatch.officer_b.pk}
    shift_cancel(shift=first, actor=ACTOR)  # type: ignore[arg-type]
    assert _recommended(dispatch) == {dispatch.officer_b.pk}


def test_on_shift_still_needs_on_duty(dispatch: DispatchScenario) -> None:
    _around_now(dispatch.officer_a, starts=-1, ends=4)
    _around_now(dispatch.officer_b, starts=-1, ends=4)
    officer_duty_set(officer=dispatch.officer_b, on_duty=False, actor=ACTOR)
    assert _recommended(dispatch) == {dispatch.officer_a.pk}


def test_leave_today_keeps_an_officer_out_even_without_a_roster(
    dispatch: DispatchScenario,
) -> None:
    today = timezone.localdate()
    leave_record(
        person=dispatch.officer_b,
        first_day=today,
        last_day=today,
        kind=LeaveKind.SICK,
        actor=ACTOR,
    )
    assert _recommended(dispatch) == {dispatch.officer_a.pk}
