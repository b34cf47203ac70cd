"""The real JCPS district (skipped when shared/data is not beside the repo)."""

from __future__ import annotations

import dataclasses
from datetime import date

from planning.domain import School
from planning.patrol import CoverageTarget, Officer, Site, TimeWindow, plan_day, replan
from planning.travel import HaversineTravel
from planning.zoning.planner import ZonePlanner
from tests.planning.patrol.checks import check_plan, check_route

TIERS = [(450, 850), (520, 920), (580, 980)]


def test_jcps_day_plan_is_valid_and_covers_required_dismissals(jcps: tuple[School, ...]) -> None:
    sites = [
        Site(
            s.id,
            s.name,
            s.lat,
            s.lon,
            "school",
            (
                TimeWindow(TIERS[k % 3][0] - 30, TIERS[k % 3][0] + 10, "arrival"),
                TimeWindow(TIERS[k % 3][1] - 10, TIERS[k % 3][1] + 30, "dismissal"),
            ),
        )
        for k, s in enumerate(jcps)
    ]
    zones = ZonePlanner(schools=jcps, travel=HaversineTravel(), seed=1).plan(30).zones
    by_id = {s.id: s for s in jcps}
    officers = [
        Officer(z.id, by_id[z.post_id].lat, by_id[z.post_id].lon, 405, 1020, z.school_ids)
        for z in zones
    ]
    targets = [CoverageTarget(s.id, "dismissal") for s in sites[::3]]
    plan = plan_day(day=date(2026, 3, 2), officers=officers, sites=sites, targets=targets, seed=1)
    check_plan(plan, officers, sites, targets)
    assert plan.windows_targeted == len(targets)
    assert plan.coverage >= 0.95
    after = replan(
        plan=plan,
        officer_id=officers[0].id,
        from_lat=38.25,
        from_lon=-85.75,
        from_minute=652,
        called_at=612,
        sites=sites,
        targets=targets,
        seed=2,
    )
    route = after.routes[officers[0].id]
    rest = tuple(v for v in route.visits if v.arrive >= 652)
    assert route.visits[: len(route.visits) - len(rest)] == tuple(
        v for v in plan.routes[officers[0].id].visits if v.depart <= 612
    )
    check_route(
        dataclasses.replace(route, visits=rest),
        sites={s.id: s for s in sites},
        start=(38.25, -85.75),
        shift=(405, 1020),
        first_minute=652,
    )
    assert after.routes[officers[1].id] == plan.routes[officers[1].id]
