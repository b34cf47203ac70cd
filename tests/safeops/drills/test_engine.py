"""Property-based tests of the drill rule engine over random school calendars (acceptance 1)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from safeops.drills.engine import (
    Calendar,
    Requirement,
    Rule,
    Status,
    WindowKind,
    WindowState,
    evaluate,
    windows_for,
)

FIRST_30 = Rule("lockdown", "lockdown", "KRS 158.162(5)", (Requirement(WindowKind.FIRST_DAYS, 30),))
JANUARY = Rule("lockdown", "lockdown", "KRS 158.162(5)", (Requirement(WindowKind.MONTH, 1),))
FIRE = Rule(
    "fire",
    "fire",
    "815 KAR 10:060",
    (Requirement(WindowKind.EACH_MONTH), Requirement(WindowKind.FIRST_DAYS, 30, extra=True)),
)


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    """A school year starting in July–September of 2000–2040, 150–300 days long, with a random
    set of weekday holidays (up to a third of the days)."""
    year = draw(st.integers(2000, 2040))
    first = dt.date(year, draw(st.integers(7, 9)), draw(st.integers(1, 28)))
    last = first + dt.timedelta(days=draw(st.integers(150, 300)))
    span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    weekdays = [d for d in span if d.weekday() < 5]
    holidays = draw(st.sets(st.sampled_from(weekdays), max_size=len(weekdays) // 3))
    return Calendar(first, last, frozenset(holidays))


def nth_school_day(calendar: Calendar, n: int) -> dt.date:
    """Oracle written independently of the engine: walk the days, count weekdays not off."""
    day, count = calendar.first_day, 0
    while True:
        if day.weekday() < 5 and day not in calendar.non_instructional:
            count += 1
            if count == n:
                return day
        day += dt.timedelta(days=1)


@settings(max_examples=60, deadline=None)
@given(calendars())
def test_first_30_window_counts_instructional_days_and_skips_the_others(cal: Calendar) -> None:
    (window,) = windows_for(cal, FIRST_30)
    assert window.end == nth_school_day(cal, 30)
    assert window.start == nth_school_day(cal, 1)
    inside = [
        window.start + dt.timedelta(days=i) for i in range((window.end - window.start).days + 1)
    ]
    counted = [d for d in inside if d.weekday() < 5 and d not in cal.non_instructional]
    assert len(counted) == 30
    # Holidays make the window longer in calendar days, never shorter.
    plain = Calendar(cal.first_day, cal.last_day)
    assert window.end >= windows_for(plain, FIRST_30)[0].end
    off_days_inside = [d for d in cal.non_instructional if window.start <= d <= window.end]
    assert (window.end - window.start).days + 1 >= 30 + len(off_days_inside)


@settings(max_examples=60, deadline=None)
@given(calendars())
def test_a_drill_on_the_boundary_day_counts_and_the_day_after_does_not(cal: Calendar) -> None:
    (window,) = windows_for(cal, FIRST_30)
    on = window.end + dt.timedelta(days=1)
    on_boundary = evaluate(calendar=cal, rules=[FIRST_30], drills={"lockdown": [window.end]}, on=on)
    assert on_boundary.status == Status.COMPLIANT
    assert on_boundary.windows[0].matched == (window.end,)
    late = evaluate(calendar=cal, rules=[FIRST_30], drills={"lockdown": [on]}, on=on)
    assert late.status == Status.OVERDUE
    assert late.reasons == [
        f"no lockdown drill within instructional days 1–30 (ended {window.end.isoformat()})"
    ]
    first_day = evaluate(calendar=cal, rules=[FIRST_30], drills={"lockdown": [window.start]}, on=on)
    assert first_day.status == Status.COMPLIANT


@settings(max_examples=60, deadline=None)
@given(calendars(), st.data())
def test_the_january_window_is_the_january_inside_the_school_year(
    cal: Calendar, data: st.DataObject
) -> None:
    windows = windows_for(cal, JANUARY)
    january_days = [d for d in cal.instructional_days() if d.month == 1]
    if not january_days:
        assert windows == []
        return
    (window,) = windows
    # The school year starts in the summer, so its January is in the next calendar year.
    assert window.start.year == cal.first_day.year + 1
    assert (window.start, window.end) == (january_days[0], january_days[-1])
    after = dt.date(window.end.year, 2, 15)
    # Last year's January (the previous school year) does not count; either boundary does.
    last_year = dt.date(cal.first_day.year, 1, data.draw(st.integers(1, 31)))
    stale = evaluate(calendar=cal, rules=[JANUARY], drills={"lockdown": [last_year]}, on=after)
    assert stale.status == Status.OVERDUE
    assert stale.reasons == [
        f"no lockdown drill in January {window.end.year} (ended {window.end.isoformat()})"
    ]
    boundary = data.draw(st.sampled_from([window.start, window.end]))
    held = evaluate(calendar=cal, rules=[JANUARY], drills={"lockdown": [boundary]}, on=after)
    assert held.status == Status.COMPLIANT
    # Before January opens the window is upcoming, not overdue.
    before = evaluate(
        calendar=cal, rules=[JANUARY], drills={}, on=window.start - dt.timedelta(days=40)
    )
    assert before.windows[0].state == WindowState.UPCOMING


@settings(max_examples=60, deadline=None)
@given(calendars())
def test_fire_needs_an_extra_drill_in_the_first_30_days(cal: Calendar) -> None:
    windows = windows_for(cal, FIRE)
    monthly = [w for w in windows if w.requirement.kind == WindowKind.EACH_MONTH]
    end = cal.last_day + dt.timedelta(days=1)
    one_a_month = [w.start for w in monthly]
    short = evaluate(calendar=cal, rules=[FIRE], drills={"fire": one_a_month}, on=end)
    assert [w.missing for w in short.windows if w.missing] == [1]
    extra = nth_school_day(cal, 1)
    full = evaluate(calendar=cal, rules=[FIRE], drills={"fire": [*one_a_month, extra]}, on=end)
    assert full.status == Status.COMPLIANT


def test_due_soon_and_not_yet_counted_drills() -> None:
    cal = Calendar(dt.date(2026, 8, 12), dt.date(2027, 5, 28))
    (window,) = windows_for(cal, FIRST_30)
    soon = evaluate(calendar=cal, rules=[FIRST_30], drills={}, on=window.end - dt.timedelta(days=3))
    assert soon.status == Status.DUE_SOON
    assert soon.reasons == [
        f"no lockdown drill yet within instructional days 1–30 (closes {window.end.isoformat()})"
    ]
    # A drill logged for a later date does not count yet.
    future = evaluate(
        calendar=cal,
        rules=[FIRST_30],
        drills={"lockdown": [window.end]},
        on=window.end - dt.timedelta(days=3),
    )
    assert future.status == Status.DUE_SOON


def _brute_force_max(windows: list[tuple[dt.date, dt.date]], days: list[dt.date]) -> int:
    """Maximum bipartite matching by augmenting paths (Kuhn), independent of the engine."""
    owner: dict[int, int] = {}

    def augment(w: int, seen: set[int]) -> bool:
        for d, day in enumerate(days):
            if windows[w][0] <= day <= windows[w][1] and d not in seen:
                seen.add(d)
                if d not in owner or augment(owner[d], seen):
                    owner[d] = w
                    return True
        return False

    return sum(augment(w, set()) for w in range(len(windows)))


@settings(max_examples=60, deadline=None)
@given(calendars(), st.data())
def test_drills_are_matched_to_as_many_windows_as_possible(
    cal: Calendar, data: st.DataObject
) -> None:
    days = cal.instructional_days()
    drills = data.draw(st.lists(st.sampled_from(days), max_size=12))
    end = cal.last_day + dt.timedelta(days=1)
    result = evaluate(calendar=cal, rules=[FIRE], drills={"fire": drills}, on=end)
    spans = [(w.window.start, w.window.end) for w in result.windows]
    assert sum(len(w.matched) for w in result.windows) == _brute_force_max(spans, drills)
    for w in result.windows:
        assert all(w.window.start <= d <= w.window.end for d in w.matched)
