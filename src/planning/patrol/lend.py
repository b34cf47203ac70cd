"""Lend help across zones: a neighbour takes a targeted window its own officer cannot.

After every group of officers is solved on its own, each targeted window
still uncovered (required ones first, then by value) is offered to the
nearest other groups whose officers start within ``reach_minutes`` of the
site. The helper's group is re-solved with the extra visit; every window
it already covers that is worth at least as much is pinned (it must stay
covered, aiming at its planned time), so help never costs the helper a
window of equal or higher value - only less valuable windows and patrol
visits may give way. The first group that fits the visit takes it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from planning.patrol.model import Officer, Site
from planning.patrol.solver import Schedule, Task, Vehicle, solve, travel_matrix
from planning.travel import TravelTimeModel

__all__ = ["Group", "lend_help"]

KEEP = 2_000_000_000
"""Drop penalty of a window the helper already covers (above any other penalty)."""

Key = tuple[str, str | None]


@dataclass
class Group:
    """Officers solved together, their candidate visits and the solved schedules."""

    officers: list[Officer]
    vehicles: list[Vehicle]
    tasks: list[Task]
    schedules: list[Schedule]

    def performed(self) -> dict[int, int]:
        """Task index -> arrival minute of every visit in the schedules."""
        return {k: at for sched in self.schedules for k, at in sched.stops}


def lend_help(
    groups: list[Group],
    *,
    sites: dict[str, Site],
    wanted: list[tuple[Key, int]],
    make_task: Callable[[Site, str, tuple[int, ...], int, int], Task | None],
    travel: TravelTimeModel,
    reach_minutes: float,
    helpers: int = 2,
    failed: set[tuple[int, Key]] | None = None,
) -> None:
    """Offer each uncovered ``(site, label)`` in ``wanted`` (key, value) to nearby groups.

    ``failed`` remembers (group, window) pairs that did not fit, across calls:
    a group only ever gains visits, so a window that did not fit never will.
    """
    tried = failed if failed is not None else set()
    done = {(g.tasks[k].site.id, g.tasks[k].label) for g in groups for k in g.performed()}
    short = [(key, v) for key, v in wanted if key not in done and key[1] is not None]
    if not short or len(groups) < 2:
        return
    short.sort(key=lambda kv: -kv[1])
    starts = [(g, v) for g in groups for v in g.vehicles]
    points = [(f"@{v.officer_id}", v.lat, v.lon) for _, v in starts]
    short_sites = list(dict.fromkeys(key[0] for key, _ in short))
    points += [(s, sites[s].lat, sites[s].lon) for s in short_sites]
    minutes = travel_matrix(travel, points)
    for (sid, label), _ in short:
        col = len(starts) + short_sites.index(sid)
        near: list[Group] = []
        for row in sorted(range(len(starts)), key=lambda r: float(minutes[r, col])):
            g = starts[row][0]
            if float(minutes[row, col]) > reach_minutes or len(near) >= helpers:
                break
            if g not in near and all(sid not in o.site_ids for o in g.officers):
                near.append(g)
        for g in near:
            if (id(g), (sid, label)) in tried:
                continue
            if _try(g, sites[sid], label, make_task, travel):
                break
            tried.add((id(g), (sid, label)))


def _try(
    g: Group,
    site: Site,
    label: str | None,
    make_task: Callable[[Site, str, tuple[int, ...], int, int], Task | None],
    travel: TravelTimeModel,
) -> bool:
    if label is None:
        return False
    lo = min(v.begin for v in g.vehicles)
    hi = max(v.end for v in g.vehicles)
    extra = make_task(site, label, tuple(range(len(g.vehicles))), lo, hi)
    if extra is None:
        return False
    had = g.performed()
    keep = {k for k in had if g.tasks[k].label is not None and g.tasks[k].penalty >= extra.penalty}
    pinned = [
        dataclasses.replace(t, penalty=KEEP, target=had[k]) if k in keep else t
        for k, t in enumerate(g.tasks)
    ]
    schedules = solve(vehicles=g.vehicles, tasks=[*pinned, extra], travel=travel)
    got = {k for sched in schedules for k, _ in sched.stops}
    if len(g.tasks) not in got or not keep <= got:
        return False
    g.tasks = [*g.tasks, extra]
    g.schedules = schedules
    return True
