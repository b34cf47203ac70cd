"""replan and absorb: valid routes from the clearing point, lost windows handed over."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from planning.domain import InputError
from planning.patrol import CoverageTarget, Officer, Site, TimeWindow, absorb, plan_day, replan
from tests.planning.patrol.checks import check_plan, check_route, covered, minutes

DAY = date(2026, 3, 3)


def _district() -> tuple[list[Officer], list[Site]]:
    sites = []
    for i in range(12):
        start, end = [(450, 790), (520, 860), (580, 920)][i % 3]
        sites.append(
            Site(
                f"S{i}",
                f"School {i}",
                38.20 + 0.01 * (i % 4),
                -85.76 + 0.012 * i,
                "school",
                (
                    TimeWindow(start - 30, start + 5, "arrival"),
                    TimeWindow(end - 5, end + 30, "dismissal"),
                    TimeWindow(660, 720, "lunch"),
                ),
                risk=float(1 + i % 4),
            )
        )
    officers = [
        Officer(
            f"O{j}",
            sites[4 * j].lat,
            sites[4 * j].lon,
            420,
            960,
            tuple(s.id for s in sites[4 * j : 4 * j + 4]),
        )
        for j in range(3)
    ]
    return officers, sites


def test_replan_after_a_call_at_1012() -> None:
    officers, sites = _district()
    by_id = {s.id: s for s in sites}
    targets = [CoverageTarget(s.id, "dismissal") for s in sites[:4]]
    plan = plan_day(day=DAY, officers=officers, sites=sites, targets=targets, seed=2)
    called, clears, where = 612, 655, (38.25, -85.70)
    new = replan(
        plan=plan,
        officer_id="O0",
        from_lat=where[0],
        from_lon=where[1],
        from_minute=clears,
        sites=sites,
        targets=targets,
        seed=9,
        called_at=called,
    )
    old, route = plan.routes["O0"], new.routes["O0"]
    done = tuple(v for v in old.visits if v.depart <= called)
    assert route.visits[: len(done)] == done
    rest = route.visits[len(done) :]
    assert rest, "the officer still has windows after 10:55"
    first = by_id[rest[0].site_id]
    assert rest[0].arrive >= clears + minutes(where, (first.lat, first.lon)) - 1e-6
    check_route(
        dataclasses.replace(route, visits=rest),
        sites=by_id,
        start=where,
        shift=(420, 960),
        allowed=officers[0].site_ids,
        first_minute=clears,
    )
    assert {
        ("S0", "dismissal"),
        ("S1", "dismissal"),
        ("S2", "dismissal"),
        ("S3", "dismissal"),
    } <= covered(new)
    assert new.routes["O1"] == plan.routes["O1"] and new.routes["O2"] == plan.routes["O2"]
    assert new.windows_targeted == 4 and new.shortfalls == ()


@pytest.mark.parametrize("risky", ["A", "B"])
def test_replan_keeps_the_highest_value_windows_when_not_all_fit(risky: str) -> None:
    # A and B are 10 km apart with the same dismissal window: after the call only one fits
    win = (TimeWindow(900, 925, "dismissal"),)
    sites = [
        Site("A", "A", 38.20, -85.70, "school", win, risk=5.0 if risky == "A" else 1.0),
        Site("B", "B", 38.29, -85.70, "school", win, risk=5.0 if risky == "B" else 1.0),
    ]
    officer = Officer("O", 38.20, -85.70, 420, 960, ("A", "B"))
    plan = plan_day(day=DAY, officers=[officer], sites=sites, seed=2)
    assert {("A", "dismissal"), ("B", "dismissal")} & covered(plan)
    new = replan(
        plan=plan,
        officer_id="O",
        from_lat=38.245,
        from_lon=-85.70,
        from_minute=885,
        sites=sites,
        seed=1,
    )
    late = {(v.site_id, v.window_label) for v in new.routes["O"].visits if v.arrive >= 885}
    assert (risky, "dismissal") in late
    other = "B" if risky == "A" else "A"
    assert (other, "dismissal") not in late
    short = {(s.site_id, s.window_label) for s in new.shortfalls}
    assert (other, "dismissal") in short


def test_replan_unknown_officer() -> None:
    officers, sites = _district()
    plan = plan_day(day=DAY, officers=officers, sites=sites, seed=2)
    with pytest.raises(InputError, match="officer 'nope' is not in the plan"):
        replan(
            plan=plan,
            officer_id="nope",
            from_lat=38.2,
            from_lon=-85.7,
            from_minute=600,
            sites=sites,
            seed=1,
        )


def test_absorb_hands_windows_to_neighbours() -> None:
    officers, sites = _district()
    by_id = {s.id: s for s in sites}
    targets = [CoverageTarget(s.id, "dismissal") for s in sites]
    plan = plan_day(day=DAY, officers=officers, sites=sites, targets=targets, seed=4)
    check_plan(plan, officers, sites, targets)
    new, lost = absorb(
        plan=plan, lost_officer_id="O1", from_minute=700, sites=sites, targets=targets, seed=3
    )
    gone = new.routes["O1"]
    assert all(v.depart <= 700 for v in gone.visits)
    assert gone.visits == tuple(v for v in plan.routes["O1"].visits if v.depart <= 700)
    taken = [
        v
        for oid in ("O0", "O2")
        for v in new.routes[oid].visits
        if v.site_id in officers[1].site_ids
    ]
    assert taken, "neighbours take some of the lost officer's windows"
    for o in officers:
        if o.id != "O1":
            check_route(
                new.routes[o.id],
                sites=by_id,
                start=(o.start_lat, o.start_lon),
                shift=(o.shift_start, o.shift_end),
            )
            before = tuple(v for v in plan.routes[o.id].visits if v.arrive <= 700)
            assert new.routes[o.id].visits[: len(before)] == before
    lost_keys = {(s.site_id, s.window_label) for s in lost}
    pending = {(s, w.label) for s in officers[1].site_ids for w in by_id[s].windows if w.end > 700}
    pending -= covered(plan) - {(v.site_id, v.window_label) for v in plan.routes["O1"].visits}
    assert lost_keys <= pending
    assert lost_keys | (pending & covered(new)) == pending
    assert all("officer O1 off from 11:40" in s.reason for s in lost)
    assert new.windows_targeted == 12
    assert new.windows_covered == 12 - len(new.shortfalls)


def test_absorb_without_neighbours_loses_every_remaining_window() -> None:
    site = Site("S", "S", 38.2, -85.7, "school", (TimeWindow(450, 480, "arrival"),
                                                  TimeWindow(840, 880, "dismissal")))  # fmt: skip
    officer = Officer("A", 38.2, -85.7, 420, 900, ("S",))
    plan = plan_day(day=DAY, officers=[officer], sites=[site], seed=1)
    new, lost = absorb(plan=plan, lost_officer_id="A", from_minute=430, sites=[site], seed=1)
    assert new.routes["A"].visits == ()
    assert {(s.site_id, s.window_label) for s in lost} == {("S", "arrival"), ("S", "dismissal")}
    assert new.windows_covered == 0 and new.windows_targeted == 2
