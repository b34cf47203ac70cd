"""The roster's rules: no overlapping shifts, no shift on leave, swaps, relief, event
coverage, and the three selectors other apps call (on shift, shift window, reachable)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeops.core.models import AuditEntry
from safeops.roster.models import CoverageEvent, EventKind, LeaveKind, Shift, ShiftKind
from safeops.roster.selectors import is_reachable, on_shift_person_ids, shift_window
from safeops.roster.services import (
    coverage_assign,
    coverage_event_create,
    leave_record,
    shift_relieve,
    shift_swap,
)
from safeops.staff.choices import Role
from tests.safeops.factories import PersonFactory, ScenarioDistrict
from tests.safeops.roster.helpers import ACTOR, at, shift

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]
DAY = dt.date(2026, 12, 7)  # a Monday


@pytest.fixture
def officers(scenario: ScenarioDistrict) -> tuple:  # type: ignore[type-arg]
    a = scenario.people[Role.SSO]
    b = PersonFactory(district=scenario.district, role=Role.SSO, user=None, full_name="B Officer")
    return a, b


def test_an_overlapping_shift_is_refused_naming_the_other_one(officers: tuple) -> None:  # type: ignore[type-arg]
    a, _b = officers
    shift(a, DAY, 7, 15)
    with pytest.raises(ValidationError) as refused:
        shift(a, DAY, 14, 22)
    assert "already has a shift from 2026-12-07 07:00 to 2026-12-07 15:00" in str(refused.value)
    assert Shift.objects.filter(person=a).count() == 1
    shift(a, DAY, 15, 22)  # back to back is fine: the end is excluded


def test_a_non_officer_cannot_be_rostered(scenario: ScenarioDistrict) -> None:
    with pytest.raises(ValidationError, match="Only School Safety Officers"):
        shift(scenario.people[Role.SAFETY_ADMINISTRATOR], DAY, 7, 15)


def test_leave_and_shifts_exclude_each_other(officers: tuple) -> None:  # type: ignore[type-arg]
    a, b = officers
    leave_record(
        person=a,
        first_day=DAY,
        last_day=DAY + dt.timedelta(days=1),
        kind=LeaveKind.VACATION,
        actor=ACTOR,
    )
    with pytest.raises(ValidationError, match="is on leave"):
        shift(a, DAY + dt.timedelta(days=1), 7, 15)
    # An overnight shift ending on a leave day is refused too.
    with pytest.raises(ValidationError, match="is on leave"):
        shift(a, DAY - dt.timedelta(days=1), 22, 6)
    shift(b, DAY, 7, 15)
    with pytest.raises(ValidationError, match="has 1 shift"):
        leave_record(person=b, first_day=DAY, last_day=DAY, kind=LeaveKind.DAY_OFF, actor=ACTOR)


def test_a_swap_gives_the_shift_to_another_free_officer(officers: tuple) -> None:  # type: ignore[type-arg]
    a, b = officers
    first = shift(a, DAY, 7, 15)
    swapped = shift_swap(shift=first, person=b, actor=ACTOR)
    assert swapped.person_id == b.pk
    assert AuditEntry.objects.filter(object_id=str(first.pk), note__startswith="swapped").exists()
    clash = shift(a, DAY + dt.timedelta(days=1), 7, 15)
    shift(b, DAY + dt.timedelta(days=1), 8, 12)
    with pytest.raises(ValidationError, match="already has a shift"):
        shift_swap(shift=clash, person=b, actor=ACTOR)


def test_relief_ends_the_shift_and_starts_the_relief(officers: tuple) -> None:  # type: ignore[type-arg]
    a, b = officers
    first = shift(a, DAY, 7, 19)
    relief = shift_relieve(shift=first, relief=b, at=at(DAY, 13), actor=ACTOR)
    first.refresh_from_db()
    assert first.ends_at == at(DAY, 13)
    assert (relief.person_id, relief.starts_at, relief.ends_at) == (b.pk, at(DAY, 13), at(DAY, 19))
    assert relief.kind == ShiftKind.RELIEF and relief.relieves_id == first.pk
    assert on_shift_person_ids(district_id=a.district_id, at=at(DAY, 12, 59)) == {a.pk}
    assert on_shift_person_ids(district_id=a.district_id, at=at(DAY, 13)) == {b.pk}
    with pytest.raises(ValidationError, match="before it ends"):
        shift_relieve(shift=first, relief=b, at=at(DAY, 14), actor=ACTOR)


def test_an_event_takes_as_many_officers_as_it_needs(
    scenario: ScenarioDistrict,
    officers: tuple,  # type: ignore[type-arg]
) -> None:
    a, b = officers
    game = coverage_event_create(
        district=scenario.district,
        title="Football: A High vs B High",
        kind=EventKind.ATHLETIC,
        starts_at=at(DAY, 18),
        ends_at=at(DAY, 22),
        officers_needed=1,
        actor=ACTOR,
        school=scenario.high_a,
    )
    covering = coverage_assign(event=game, person=a, actor=ACTOR)
    assert (covering.kind, covering.starts_at, covering.coverage_event_id) == (
        ShiftKind.EVENT,
        at(DAY, 18),
        game.pk,
    )
    with pytest.raises(ValidationError, match="already has its 1 officer"):
        coverage_assign(event=game, person=b, actor=ACTOR)
    CoverageEvent.objects.filter(pk=game.pk).update(officers_needed=2)
    with pytest.raises(ValidationError, match="already covers"):
        coverage_assign(event=game, person=a, actor=ACTOR)
    coverage_assign(event=game, person=b, actor=ACTOR)
    assert on_shift_person_ids(district_id=a.district_id, at=at(DAY, 20)) == {a.pk, b.pk}


def test_on_shift_counts_start_not_end_and_skips_leave(officers: tuple) -> None:  # type: ignore[type-arg]
    a, b = officers
    shift(a, DAY, 7, 15)
    shift(b, DAY, 22, 6)  # overnight
    district = a.district_id
    assert on_shift_person_ids(district_id=district, at=at(DAY, 6, 59)) == frozenset()
    assert on_shift_person_ids(district_id=district, at=at(DAY, 7)) == {a.pk}
    assert on_shift_person_ids(district_id=district, at=at(DAY, 15)) == frozenset()
    next_day = DAY + dt.timedelta(days=1)
    assert on_shift_person_ids(district_id=district, at=at(next_day, 5, 59)) == {b.pk}
    assert on_shift_person_ids(district_id=district + 999, at=at(DAY, 8)) == frozenset()


def test_shift_window_spans_the_days_shifts(officers: tuple) -> None:  # type: ignore[type-arg]
    a, b = officers
    shift(a, DAY, 7, 11)
    shift(a, DAY, 18, 22)
    assert shift_window(person_id=a.pk, day=DAY) == (at(DAY, 7), at(DAY, 22))
    assert shift_window(person_id=b.pk, day=DAY) is None
    assert shift_window(person_id=a.pk, day=DAY + dt.timedelta(days=1)) is None


def test_reachable_follows_the_roster_and_falls_back_without_one(officers: tuple) -> None:  # type: ignore[type-arg]
    a, b = officers
    # No roster that day: everyone is reachable (duty status decides, as before rosters).
    assert is_reachable(person_id=b.pk, at=at(DAY, 9)) is True
    shift(a, DAY, 7, 15)
    assert is_reachable(person_id=a.pk, at=at(DAY, 9)) is True
    assert is_reachable(person_id=b.pk, at=at(DAY, 9)) is False
    assert is_reachable(person_id=a.pk, at=at(DAY, 16)) is False
    tomorrow = DAY + dt.timedelta(days=1)
    leave_record(person=b, first_day=tomorrow, last_day=tomorrow, kind=LeaveKind.SICK, actor=ACTOR)
    assert is_reachable(person_id=b.pk, at=at(tomorrow, 9)) is False  # leave, even with no roster
    assert is_reachable(person_id=a.pk, at=at(tomorrow, 9)) is True
