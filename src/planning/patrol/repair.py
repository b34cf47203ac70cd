"""Repair a day plan: re-plan one officer, or absorb a lost officer's windows.

Both keep what is done, aim the remaining visits at their planned times
(so a repaired plan changes as little as it can) and let the drop
penalties decide which visits survive when not all fit.
"""

from __future__ import annotations

from collections.abc import Sequence

from planning.domain import InputError
from planning.patrol.coverage import assess, hhmm
from planning.patrol.model import CoverageTarget, DayPlan, Route, Shortfall, Site, Visit
from planning.patrol.plan import build_route, day_rng, goals_of, index_sites, site_tasks
from planning.patrol.solver import Task, Vehicle, solve, travel_matrix
from planning.travel import HaversineTravel, TravelTimeModel

__all__ = ["absorb", "replan"]


def _split(
    route: Route, minute: int, sites: dict[str, Site], model: TravelTimeModel
) -> tuple[tuple[Visit, ...], float]:
    """Visits finished by ``minute`` and the driving minutes they took."""
    kept = tuple(v for v in route.visits if v.depart <= minute)
    if not kept:
        return kept, 0.0
    points = [(sites[v.site_id].id, sites[v.site_id].lat, sites[v.site_id].lon) for v in kept]
    if route.start_lat is not None and route.start_lon is not None:
        points.insert(0, ("@start", route.start_lat, route.start_lon))
    m = travel_matrix(model, points)
    return kept, float(sum(m[i, i + 1] for i in range(len(points) - 1)))


def _covered(
    routes: dict[str, Route], skip_officer: str | None = None
) -> set[tuple[str, str | None]]:
    return {
        (v.site_id, v.window_label)
        for oid, r in routes.items()
        if oid != skip_officer
        for v in r.visits
        if v.window_label is not None
    }


def replan(
    *,
    plan: DayPlan,
    officer_id: str,
    from_lat: float,
    from_lon: float,
    from_minute: int,
    sites: Sequence[Site],
    targets: Sequence[CoverageTarget] = (),
    seed: int,
    travel: TravelTimeModel | None = None,
    called_at: int | None = None,
    patrols_per_site: int = 1,
) -> DayPlan:
    """The rest of ``officer_id``'s day from where they clear at ``from_minute``.

    Visits finished before ``called_at`` (default ``from_minute``) stay; the
    windows still ahead are re-planned from the clearing point, aiming at
    their old times, and the most valuable ones are kept when not all fit.
    Other officers' routes are unchanged.
    """
    if officer_id not in plan.routes:
        raise InputError(f"officer {officer_id!r} is not in the plan", field="officer_id")
    by_id = index_sites(sites)
    goals = goals_of(targets, by_id)
    old = plan.routes[officer_id]
    model = travel or HaversineTravel()
    stop = from_minute if called_at is None else min(called_at, from_minute)
    kept, kept_travel = _split(old, stop, by_id, model)
    skip = _covered(plan.routes, officer_id) | {(v.site_id, v.window_label) for v in kept}
    skip |= {(v.site_id, None) for v in kept}
    was = {(v.site_id, v.window_label): v.arrive for v in old.visits}
    rng = day_rng(seed, plan.day, salt=from_minute)

    def target(site: Site, label: str | None, lo: int, hi: int) -> int:
        t = was.get((site.id, label))
        return min(max(t, lo), hi) if t is not None else int(rng.integers(lo, hi + 1))

    tasks: list[Task] = []
    for sid in old.sites():
        if sid in by_id:
            tasks += site_tasks(
                by_id[sid],
                (0,),
                from_minute,
                old.shift_end,
                goals,
                target,
                patrols=patrols_per_site,
                skip=skip,
            )
    vehicle = Vehicle(officer_id, from_lat, from_lon, from_minute, old.shift_end)
    [sched] = solve(vehicles=[vehicle], tasks=tasks, travel=model)
    routes = dict(plan.routes)
    routes[officer_id] = build_route(
        officer_id,
        sched,
        tasks,
        begin=from_minute,
        template=old,
        kept=kept,
        kept_travel=kept_travel,
    )
    short, targeted, covered = assess(routes=routes, sites=by_id, targets=targets)
    return DayPlan(plan.day, plan.seed, routes, short, targeted, covered)


def _centroid(site_ids: Sequence[str], sites: dict[str, Site]) -> tuple[float, float] | None:
    pts = [(sites[s].lat, sites[s].lon) for s in site_ids if s in sites]
    if not pts:
        return None
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


def _neighbours(
    plan: DayPlan, lost: Route, minute: int, sites: dict[str, Site], count: int
) -> list[Route]:
    home = _centroid(lost.sites(), sites)
    ranked: list[tuple[float, str]] = []
    for oid, r in plan.routes.items():
        c = _centroid(r.sites(), sites)
        if oid == lost.officer_id or r.shift_end <= minute or c is None or home is None:
            continue
        ranked.append(((c[0] - home[0]) ** 2 + (c[1] - home[1]) ** 2, oid))
    return [plan.routes[oid] for _, oid in sorted(ranked)[:count]]


def _position(
    route: Route, minute: int, sites: dict[str, Site]
) -> tuple[tuple[Visit, ...], float, float, int]:
    """Visits done (or under way) at ``minute``, and where/when the officer is free next."""
    kept = tuple(v for v in route.visits if v.arrive <= minute)
    if kept:
        last = sites[kept[-1].site_id]
        return kept, last.lat, last.lon, max(minute, kept[-1].depart)
    if route.start_lat is not None and route.start_lon is not None:
        return kept, route.start_lat, route.start_lon, max(minute, route.shift_start)
    first = sites[route.visits[0].site_id] if route.visits else None
    lat, lon = (first.lat, first.lon) if first else (0.0, 0.0)
    return kept, lat, lon, max(minute, route.shift_start)


def absorb(
    *,
    plan: DayPlan,
    lost_officer_id: str,
    from_minute: int,
    sites: Sequence[Site],
    targets: Sequence[CoverageTarget] = (),
    seed: int,
    travel: TravelTimeModel | None = None,
    neighbours: int = 3,
) -> tuple[DayPlan, tuple[Shortfall, ...]]:
    """Hand a lost officer's remaining windows to the nearest ``neighbours`` officers.

    The lost officer's route stops at ``from_minute``. The neighbours keep
    their own windows (aiming at their old times) and take the lost
    windows that matter most (required targets, then targeted windows, then
    by site risk). Returns the new plan and the lost windows nobody can take.
    """
    if lost_officer_id not in plan.routes:
        raise InputError(f"officer {lost_officer_id!r} is not in the plan", field="lost_officer_id")
    by_id = index_sites(sites)
    goals = goals_of(targets, by_id)
    model = travel or HaversineTravel()
    lost = plan.routes[lost_officer_id]
    lost_kept, lost_travel = _split(lost, from_minute, by_id, model)
    team = _neighbours(plan, lost, from_minute, by_id, neighbours)
    team_ids = {r.officer_id for r in team}
    outside = {
        (v.site_id, v.window_label)
        for oid, r in plan.routes.items()
        if oid not in team_ids and oid != lost_officer_id
        for v in r.visits
    } | {(v.site_id, v.window_label) for v in lost_kept}
    was = {(v.site_id, v.window_label): v.arrive for r in team for v in r.visits}
    rng = day_rng(seed, plan.day, salt=10_000 + from_minute)

    def target(site: Site, label: str | None, lo: int, hi: int) -> int:
        t = was.get((site.id, label))
        return min(max(t, lo), hi) if t is not None else int(rng.integers(lo, hi + 1))

    vehicles: list[Vehicle] = []
    tasks: list[Task] = []
    kept_of: list[tuple[tuple[Visit, ...], float]] = []
    for v, r in enumerate(team):
        kept, lat, lon, begin = _position(r, from_minute, by_id)
        kept_of.append((kept, _split(r, begin, by_id, model)[1] if kept else 0.0))
        vehicles.append(Vehicle(r.officer_id, lat, lon, begin, r.shift_end))
        skip = (
            outside
            | {(k.site_id, k.window_label) for k in kept}
            | {(k.site_id, None) for k in kept}
        )
        for sid in r.sites():
            if sid in by_id:
                tasks += site_tasks(
                    by_id[sid], (v,), begin, r.shift_end, goals, target, patrols=1, skip=skip
                )
    hi = max([lost.shift_end, *(veh.end for veh in vehicles)])
    pending: list[Task] = []
    lost_skip = outside | {(k.site_id, None) for k in lost_kept}
    for sid in lost.sites():
        if sid in by_id:
            pending += site_tasks(
                by_id[sid],
                tuple(range(len(team))),
                from_minute,
                hi,
                goals,
                target,
                patrols=0,
                skip=lost_skip,
                windows_only=True,
            )
    routes = dict(plan.routes)
    routes[lost_officer_id] = Route(
        lost_officer_id,
        lost_kept,
        lost_travel,
        lost_kept[-1].depart if lost_kept else lost.shift_start,
        lost.shift_start,
        min(lost.shift_end, max(from_minute, lost.shift_start)),
        lost.site_ids,
        lost.start_lat,
        lost.start_lon,
    )
    if vehicles:
        all_tasks = tasks + pending
        schedules = solve(vehicles=vehicles, tasks=all_tasks, travel=model)
        for r, veh, sched, (kept, kept_travel) in zip(
            team, vehicles, schedules, kept_of, strict=True
        ):
            routes[r.officer_id] = build_route(
                r.officer_id,
                sched,
                all_tasks,
                begin=veh.begin,
                template=r,
                kept=kept,
                kept_travel=kept_travel,
            )
    done = {(v.site_id, v.window_label) for r in routes.values() for v in r.visits}
    gone = tuple(
        Shortfall(
            t.site.id,
            t.label,
            f"officer {lost_officer_id} off from {hhmm(from_minute)}; no neighbour could reach it",
            goals.get((t.site.id, t.label), False),
        )
        for t in pending
        if (t.site.id, t.label) not in done
    )
    short, targeted, covered = assess(routes=routes, sites=by_id, targets=targets)
    return DayPlan(plan.day, plan.seed, routes, short, targeted, covered), gone
