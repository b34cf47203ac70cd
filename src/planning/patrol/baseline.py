"""The baseline patrol: loop through the zone's schools in nearest-neighbour order.

Each officer orders their sites by nearest neighbour from the start point
and drives that loop again and again until the shift ends, stopping
``service_minutes`` at each site. A stop counts for a window when it arrives
inside it. The plan is the same every day - that is the point of comparing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import numpy as np

from planning.domain import InputError
from planning.patrol.coverage import assess
from planning.patrol.model import DayPlan, Officer, Route, Site, Visit
from planning.patrol.solver import travel_matrix
from planning.travel import HaversineTravel, TravelTimeModel

__all__ = ["nearest_neighbour_plan"]


def _nn_order(m: np.ndarray) -> list[int]:
    """Nearest-neighbour tour over rows 1.. of ``m`` starting from row 0."""
    left = list(range(1, m.shape[0]))
    order: list[int] = []
    here = 0
    while left:
        nxt = min(left, key=lambda j: (m[here, j], j))
        order.append(nxt)
        left.remove(nxt)
        here = nxt
    return order


def _loop(officer: Officer, sites: list[Site], model: TravelTimeModel) -> Route:
    pts = [("@start", officer.start_lat, officer.start_lon)] + [(s.id, s.lat, s.lon) for s in sites]
    m = travel_matrix(model, pts)
    order = _nn_order(m)
    visits: list[Visit] = []
    driven = 0.0
    here, t = 0, officer.shift_start
    while order:
        progressed = False
        for j in order:
            s = sites[j - 1]
            arrive = t + math.ceil(float(m[here, j]) - 1e-9)
            if arrive + s.service > officer.shift_end:
                order = []
                break
            label = next(
                (w.label for w in s.windows if w.start <= arrive <= w.latest_arrival(s.service)),
                None,
            )
            visits.append(Visit(s.id, arrive, arrive + s.service, label))
            driven += float(m[here, j])
            progressed = progressed or arrive + s.service > t
            here, t = j, arrive + s.service
        if not progressed:
            break
    return Route(
        officer.id,
        tuple(visits),
        driven,
        t,
        officer.shift_start,
        officer.shift_end,
        officer.site_ids,
        officer.start_lat,
        officer.start_lon,
    )


def nearest_neighbour_plan(
    *,
    day: date,
    officers: Sequence[Officer],
    sites: Sequence[Site],
    travel: TravelTimeModel | None = None,
    targets: Sequence[object] = (),
) -> DayPlan:
    """The fixed nearest-neighbour loop of every officer (no randomness, no windows)."""
    by_id = {s.id: s for s in sites}
    model = travel or HaversineTravel()
    routes: dict[str, Route] = {}
    for o in officers:
        missing = [s for s in o.site_ids if s not in by_id]
        if missing:
            raise InputError(f"officer {o.id!r}: unknown site {missing[0]!r}", field="site_ids")
        routes[o.id] = _loop(o, [by_id[s] for s in dict.fromkeys(o.site_ids)], model)
    short, targeted, covered = assess(routes=routes, sites=by_id, targets=tuple(targets))  # type: ignore[arg-type]
    return DayPlan(day, 0, routes, short, targeted, covered)
