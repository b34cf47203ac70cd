"""Independent checks of patrol plans: travel recomputed from the haversine formula."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from planning.geo import haversine_km
from planning.patrol import CoverageTarget, DayPlan, Officer, Route, Site

KM_PER_MILE = 1.609344


def minutes(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Driving minutes of the default model, recomputed: 1.5 + 60 * 1.3 * km / (30 mph)."""
    km = haversine_km(a[0], a[1], b[0], b[1])
    return 1.5 + 60.0 * 1.3 * km / (30.0 * KM_PER_MILE)


def check_route(
    route: Route,
    *,
    sites: dict[str, Site],
    start: tuple[float, float],
    shift: tuple[int, int],
    allowed: Iterable[str] | None = None,
    lent: Iterable[tuple[str, str | None]] = (),
    first_minute: int | None = None,
) -> None:
    """Assert shift bounds, windows, service and travel between consecutive stops.

    With ``allowed``, a visit elsewhere must be a ``lent`` (site, window) target.
    """
    help_ok = set(lent)
    ok_sites = set(allowed) if allowed is not None else None
    here, free = start, shift[0] if first_minute is None else first_minute
    legs = 0.0
    for v in route.visits:
        s = sites[v.site_id]
        if ok_sites is not None:
            assert v.site_id in ok_sites or (v.site_id, v.window_label) in help_ok, (
                f"{route.officer_id} visits foreign site {v.site_id}"
            )
        leg = minutes(here, (s.lat, s.lon))
        assert v.arrive >= free + leg - 1e-6, f"{route.officer_id}: {v} too early after {free}"
        assert v.depart >= v.arrive + s.service_minutes - 1e-9
        if v.window_label is not None:
            w = s.window(v.window_label)
            assert w is not None
            assert w.start <= v.arrive <= max(w.start, w.end - math.ceil(s.service_minutes)), v
        legs += leg
        here, free = (s.lat, s.lon), v.depart
    assert route.visits == () or route.visits[0].arrive >= shift[0]
    assert free <= shift[1], f"{route.officer_id} ends {free} after shift end {shift[1]}"
    assert route.end_minute == free
    return None


def check_plan(
    plan: DayPlan,
    officers: Sequence[Officer],
    sites: Sequence[Site],
    targets: Sequence[CoverageTarget] = (),
) -> None:
    """Every route valid from its officer's start, and travel minutes add up.

    Officers visit only their own sites, or lend help for a targeted window.
    """
    lent = {(t.site_id, t.window_label) for t in targets if t.window_label is not None}
    by_id = {s.id: s for s in sites}
    assert set(plan.routes) == {o.id for o in officers}
    for o in officers:
        r = plan.routes[o.id]
        check_route(
            r,
            sites=by_id,
            start=(o.start_lat, o.start_lon),
            shift=(o.shift_start, o.shift_end),
            allowed=o.site_ids,
            lent=lent,
        )
        assert r.travel_minutes == _legs(r, by_id, (o.start_lat, o.start_lon)) or math.isclose(
            r.travel_minutes, _legs(r, by_id, (o.start_lat, o.start_lon)), rel_tol=1e-9
        )
    assert plan.windows_targeted == plan.windows_covered + len(plan.shortfalls)


def _legs(route: Route, sites: dict[str, Site], start: tuple[float, float]) -> float:
    total, here = 0.0, start
    for v in route.visits:
        s = sites[v.site_id]
        total += minutes(here, (s.lat, s.lon))
        here = (s.lat, s.lon)
    return total


def covered(plan: DayPlan) -> set[tuple[str, str | None]]:
    """``(site, window label)`` pairs visited."""
    return {(v.site_id, v.window_label) for r in plan.routes.values() for v in r.visits}
