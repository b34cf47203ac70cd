"""Plan a patrol day.

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
from planning.patrol.coverage import assess
from planning.patrol.lend import Group, lend_help
from planning.patrol.model import CoverageTarget, DayPlan, Officer, Route, Site, Visit
from planning.patrol.solver import Schedule, Task, Vehicle, solve
from planning.patrol.tasks import PENALTY, draw_target, history_bins
from planning.travel import HaversineTravel, TravelTimeModel

__all__ = ["plan_day"]

WEIGHT = {"window": 3, "patrol": 1}
"""Cost per minute away from a visit's random target arrival (10 = a driving minute)."""

SLOT = 45
"""A patrol visit arrives within this many minutes of its random target time."""

TargetFn = Callable[[Site, str | None, int, int], int]


def index_sites(sites: Sequence[Site]) -> dict[str, Site]:
    """Sites by id; a repeated id is an input error."""
    out: dict[str, Site] = {}
    for s in sites:
        if s.id in out:
            raise InputError(f"site id {s.id!r} appears twice", field="sites")
        out[s.id] = s
    return out


def day_rng(seed: int, day: date, salt: int = 0) -> np.random.Generator:
    """The random stream of one (seed, day[, salt]): another day gives another draw."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"seed must be a non-negative int, got {seed!r}", field="seed")
    return np.random.default_rng([seed, day.toordinal(), salt])


def goals_of(
    targets: Sequence[CoverageTarget], sites: dict[str, Site]
) -> dict[tuple[str, str | None], bool]:
    """``(site, window label) -> required`` of the targets (required wins over best effort)."""
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


def site_tasks(
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
        out.append(
            Task(
                site,
                w.label,
                early,
                late,
                target(site, w.label, early, late),
                _penalty(kind, site),
                WEIGHT["window"],
                allowed,
            )
        )
    if lo > last:
        return out
    any_key = (site.id, None)
    count = 0 if windows_only else patrols
    if any_key in goals and any_key not in skip:
        count = max(count, 1)
    for k in range(count):
        kind = _kind(goals, any_key, "patrol") if k == 0 and any_key not in skip else "patrol"
        at = target(site, None, lo, last)
        early, late = (lo, last) if kind != "patrol" else (max(lo, at - SLOT), min(last, at + SLOT))
        out.append(
            Task(site, None, early, late, at, _penalty(kind, site), WEIGHT["patrol"], allowed)
        )
    return out


def build_route(
    officer_id: str,
    schedule: Schedule,
    tasks: Sequence[Task],
    *,
    begin: int,
    template: Route,
    kept: tuple[Visit, ...] = (),
    kept_travel: float = 0.0,
) -> Route:
    """The route of a solved schedule after the ``kept`` visits; officer data from ``template``."""
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
    reach_minutes: float | None = 20.0,
) -> DayPlan:
    """The day's routes for ``officers`` (see module docstring).

    ``seed`` and ``day`` together fix the plan; ``history`` (recent plans)
    pushes target times away from recently used time bins; ``work_limit``
    buys extra guided-local-search solutions per group of officers;
    ``patrols_per_site`` window-less visits are offered per site; a targeted
    window its own officers cannot cover is offered to officers starting
    within ``reach_minutes`` of it (``None`` or 0: never).
    """
    by_id = index_sites(sites)
    ids = [o.id for o in officers]
    if len(set(ids)) != len(ids):
        raise InputError("officer ids repeat", field="officers")
    for o in officers:
        for s in o.site_ids:
            if s not in by_id:
                raise InputError(f"officer {o.id!r}: unknown site {s!r}", field="site_ids")
    goals = goals_of(targets, by_id)
    model = travel or HaversineTravel()
    rng = day_rng(seed, day)
    bins = history_bins(history, bin_minutes)

    def target(site: Site, _label: str | None, lo: int, hi: int) -> int:
        return draw_target(rng, site, lo, hi, bins, bin_minutes)

    groups: list[Group] = []
    for members in _components(officers):
        team = [officers[i] for i in members]
        vehicles = [
            Vehicle(o.id, o.start_lat, o.start_lon, o.shift_start, o.shift_end) for o in team
        ]
        tasks: list[Task] = []
        for sid in dict.fromkeys(s for o in team for s in o.site_ids):
            allowed = tuple(v for v, o in enumerate(team) if sid in o.site_ids)
            lo = min(team[v].shift_start for v in allowed)
            hi = max(team[v].shift_end for v in allowed)
            tasks += site_tasks(
                by_id[sid], allowed, lo, hi, goals, target, patrols=patrols_per_site, skip=set()
            )
        schedules = solve(vehicles=vehicles, tasks=tasks, travel=model, work_limit=work_limit)
        groups.append(Group(team, vehicles, tasks, schedules))
    if reach_minutes:

        def window_task(
            site: Site, label: str, allowed: tuple[int, ...], lo: int, hi: int
        ) -> Task | None:
            found = site_tasks(site, allowed, lo, hi, goals, target, patrols=0, skip=set())
            return next((t for t in found if t.label == label), None)

        wanted = [
            (key, _penalty("required" if req else "targeted", by_id[key[0]]))
            for key, req in goals.items()
        ]
        failed: set[tuple[int, tuple[str, str | None]]] = set()
        for reach, helpers in ((reach_minutes, 2), (1.5 * reach_minutes, 4)):
            lend_help(
                groups,
                sites=by_id,
                wanted=wanted,
                make_task=window_task,
                travel=model,
                reach_minutes=reach,
                helpers=helpers,
                failed=failed,
            )
    routes: dict[str, Route] = {}
    for g in groups:
        for o, sched in zip(g.officers, g.schedules, strict=True):
            template = Route(
                o.id,
                (),
                0.0,
                o.shift_start,
                o.shift_start,
                o.shift_end,
                o.site_ids,
                o.start_lat,
                o.start_lon,
            )
            routes[o.id] = build_route(o.id, sched, g.tasks, begin=o.shift_start, template=template)
    routes = {o.id: routes[o.id] for o in officers}
    short, targeted, covered = assess(routes=routes, sites=by_id, targets=targets)
    return DayPlan(day, seed, routes, short, targeted, covered)
