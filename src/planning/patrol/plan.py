"""Plan a patrol day, re-plan one officer, absorb a lost officer's windows.

See ``docs/planning-patrol.md`` for the model. In short: officers whose
sites overlap are solved together (:mod:`planning.patrol.solver`); every
window of their sites is a candidate visit, valued by the coverage targets
and the site's risk; random target arrival times (away from recently used
times) make each day's plan a fresh draw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from planning.domain import InputError
from planning.patrol.coverage import assess, hhmm
from planning.patrol.model import CoverageTarget, DayPlan, Officer, Route, Shortfall, Site, Visit
from planning.patrol.solver import Schedule, Task, Vehicle, solve, travel_matrix
from planning.patrol.tasks import PENALTY, HistoryBins, draw_target, history_bins
from planning.travel import HaversineTravel, TravelTimeModel

__all__ = ["plan_day", "replan", "absorb"]

WEIGHT = {"window": 3, "patrol": 1}
"""Cost per minute away from a visit's random target arrival (10 = a driving minute)."""

TargetFn = Callable[[Site, str | None, int, int], int]


def _index(sites: Sequence[Site]) -> dict[str, Site]:
    out: dict[str, Site] = {}
    for s in sites:
        if s.id in out:
            raise InputError(f"site id {s.id!r} appears twice", field="sites")
        out[s.id] = s
    return out


def _rng(seed: int, day: date, salt: int = 0) -> np.random.Generator:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"seed must be a non-negative int, got {seed!r}", field="seed")
    return np.random.default_rng([seed, day.toordinal(), salt])


def _goals(
    targets: Sequence[CoverageTarget], sites: dict[str, Site]
) -> dict[tuple[str, str | None], bool]:
    goals: dict[tuple[str, str | None], bool] = {}
    for k, t in enumerate(targets, start=1):
        if t.site_id not in sites:
            raise InputError(f"target {k}: unknown site {t.site_id!r}", field="site_id")
        key = (t.site_id, t.window_label)
        goals[key] = goals.get(key, False) or t.required
    return goals


def _penalty(kind: str, site: Site) -> int:
    return round(PENALTY[kind] * (0.5 + min(site.risk, 10.0)))


def _kind(
    goals: dict[tuple[str, str | None], bool], key: tuple[str, str | None], default: str
) -> str:
    if key in goals:
        return "required" if goals[key] else "targeted"
    return default


def _site_tasks(
    site: Site,
    allowed: tuple[int, ...],
    lo: int,
    hi: int,
    goals: dict[tuple[str, str | None], bool],
    target: TargetFn,
    *,
    patrols: int,
    skip: set[tuple[str, str | None]],
    windows_only: bool = False,
) -> list[Task]:
    """Candidate visits to ``site`` for vehicles ``allowed``, arriving in ``[lo, hi - service]``."""
    out: list[Task] = []
    last = hi - site.service
    for w in site.windows:
        key = (site.id, w.label)
        early, late = max(w.start, lo), min(w.latest_arrival(site.service), last)
        if key in skip or early > late:
            continue
        kind = _kind(goals, key, "window")
        out.append(Task(site, w.label, early, late, target(site, w.label, early, late),
                        _penalty(kind, site), WEIGHT["window"], allowed))  # fmt: skip
    if lo > last:
        return out
    any_key = (site.id, None)
    count = 0 if windows_only else patrols
    if any_key in goals and any_key not in skip:
        count = max(count, 1)
    for k in range(count):
        kind = _kind(goals, any_key, "patrol") if k == 0 and any_key not in skip else "patrol"
        out.append(Task(site, None, lo, last, target(site, None, lo, last),
                        _penalty(kind, site), WEIGHT["patrol"], allowed))  # fmt: skip
    return out


def _route(
    officer_id: str,
    schedule: Schedule,
    tasks: Sequence[Task],
    *,
    begin: int,
    template: Route,
    kept: tuple[Visit, ...] = (),
    kept_travel: float = 0.0,
) -> Route:
    visits = kept + tuple(
        Visit(tasks[k].site.id, arrive, arrive + tasks[k].site.service, tasks[k].label)
        for k, arrive in schedule.stops
    )
    return Route(
        officer_id=officer_id,
        visits=visits,
        travel_minutes=kept_travel + schedule.travel_minutes,
        end_minute=visits[-1].depart if visits else begin,
        shift_start=template.shift_start,
        shift_end=template.shift_end,
        site_ids=template.site_ids,
        start_lat=template.start_lat,
        start_lon=template.start_lon,
    )


def _components(officers: Sequence[Officer]) -> list[list[int]]:
    """Groups of officers linked by shared sites (union-find), in input order."""
    parent = list(range(len(officers)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, o in enumerate(officers):
        for s in o.site_ids:
            if s in owner:
                parent[find(i)] = find(owner[s])
            else:
                owner[s] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(officers)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def plan_day(
    *,
    day: date,
    officers: Sequence[Officer],
    sites: Sequence[Site],
    targets: Sequence[CoverageTarget] = (),
    seed: int,
    travel: TravelTimeModel | None = None,
    history: Sequence[DayPlan] = (),
    work_limit: int | None = None,
    bin_minutes: int = 15,
    patrols_per_site: int = 1,
) -> DayPlan:
    """The day's routes for ``officers`` (see module docstring).

    ``seed`` and ``day`` together fix the plan; ``history`` (recent plans)
    pushes target times away from recently used time bins; ``work_limit``
    buys extra guided-local-search solutions per group of officers.
    """
    by_id = _index(sites)
    ids = [o.id for o in officers]
    if len(set(ids)) != len(ids):
        raise InputError("officer ids repeat", field="officers")
    for o in officers:
        for s in o.site_ids:
            if s not in by_id:
                raise InputError(f"officer {o.id!r}: unknown site {s!r}", field="site_ids")
    goals = _goals(targets, by_id)
    model = travel or HaversineTravel()
    rng = _rng(seed, day)
    bins = history_bins(history, bin_minutes)

    def target(site: Site, _label: str | None, lo: int, hi: int) -> int:
        return draw_target(rng, site, lo, hi, bins, bin_minutes)

    routes: dict[str, Route] = {}
    for group in _components(officers):
        team = [officers[i] for i in group]
        vehicles = [
            Vehicle(o.id, o.start_lat, o.start_lon, o.shift_start, o.shift_end) for o in team
        ]
        tasks: list[Task] = []
        for sid in dict.fromkeys(s for o in team for s in o.site_ids):
            allowed = tuple(v for v, o in enumerate(team) if sid in o.site_ids)
            lo = min(team[v].shift_start for v in allowed)
            hi = max(team[v].shift_end for v in allowed)
            tasks += _site_tasks(by_id[sid], allowed, lo, hi, goals, target,
                                 patrols=patrols_per_site, skip=set())  # fmt: skip
        schedules = solve(vehicles=vehicles, tasks=tasks, travel=model, work_limit=work_limit)
        for o, sched in zip(team, schedules, strict=True):
            template = Route(o.id, (), 0.0, o.shift_start, o.shift_start, o.shift_end,
                             o.site_ids, o.start_lat, o.start_lon)  # fmt: skip
            routes[o.id] = _route(o.id, sched, tasks, begin=o.shift_start, template=template)
    routes = {o.id: routes[o.id] for o in officers}
    short, targeted, covered = assess(routes=routes, sites=by_id, targets=targets)
    return DayPlan(day, seed, routes, short, targeted, covered)


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
    by_id = _index(sites)
    goals = _goals(targets, by_id)
    old = plan.routes[officer_id]
    model = travel or HaversineTravel()
    stop = from_minute if called_at is None else min(called_at, from_minute)
    kept, kept_travel = _split(old, stop, by_id, model)
    skip = _covered(plan.routes, officer_id) | {(v.site_id, v.window_label) for v in kept}
    skip |= {(v.site_id, None) for v in kept}
    was = {(v.site_id, v.window_label): v.arrive for v in old.visits}
    rng = _rng(seed, plan.day, salt=from_minute)

    def target(site: Site, label: str | None, lo: int, hi: int) -> int:
        t = was.get((site.id, label))
        return min(max(t, lo), hi) if t is not None else int(rng.integers(lo, hi + 1))

    tasks: list[Task] = []
    for sid in old.sites():
        if sid in by_id:
            tasks += _site_tasks(by_id[sid], (0,), from_minute, old.shift_end, goals, target,
                                 patrols=patrols_per_site, skip=skip)  # fmt: skip
    vehicle = Vehicle(officer_id, from_lat, from_lon, from_minute, old.shift_end)
    [sched] = solve(vehicles=[vehicle], tasks=tasks, travel=model)
    routes = dict(plan.routes)
    routes[officer_id] = _route(officer_id, sched, tasks, begin=from_minute, template=old,
                                kept=kept, kept_travel=kept_travel)  # fmt: skip
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
    by_id = _index(sites)
    goals = _goals(targets, by_id)
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
    rng = _rng(seed, plan.day, salt=10_000 + from_minute)

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
                tasks += _site_tasks(by_id[sid], (v,), begin, r.shift_end, goals, target,
                                     patrols=1, skip=skip)  # fmt: skip
    hi = max((veh.end for veh in vehicles), default=from_minute)
    pending: list[Task] = []
    lost_skip = outside | {(k.site_id, None) for k in lost_kept}
    for sid in lost.sites():
        if sid in by_id:
            pending += _site_tasks(by_id[sid], tuple(range(len(team))), from_minute, hi, goals,
                                   target, patrols=0, skip=lost_skip, windows_only=True)  # fmt: skip
    routes = dict(plan.routes)
    routes[lost_officer_id] = Route(lost_officer_id, lost_kept, lost_travel,
                                    lost_kept[-1].depart if lost_kept else lost.shift_start,
                                    lost.shift_start, min(lost.shift_end, max(from_minute, lost.shift_start)),
                                    lost.site_ids, lost.start_lat, lost.start_lon)  # fmt: skip
    if vehicles:
        all_tasks = tasks + pending
        schedules = solve(vehicles=vehicles, tasks=all_tasks, travel=model)
        for r, veh, sched, (kept, kept_travel) in zip(
            team, vehicles, schedules, kept_of, strict=True
        ):
            routes[r.officer_id] = _route(r.officer_id, sched, all_tasks, begin=veh.begin,
                                          template=r, kept=kept, kept_travel=kept_travel)  # fmt: skip
    done = {(v.site_id, v.window_label) for r in routes.values() for v in r.visits}
    gone = tuple(
        Shortfall(
            t.site.id,
            t.label,
            f"officer {lost_officer_id} off from {hhmm(from_minute)}; no neighbour could reach it",
            goals.get((t.site.id, t.label), False),
        )  # fmt: skip
        for t in pending
        if (t.site.id, t.label) not in done
    )
    short, targeted, covered = assess(routes=routes, sites=by_id, targets=targets)
    return DayPlan(plan.day, plan.seed, routes, short, targeted, covered), gone
