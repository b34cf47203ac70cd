"""One OR-Tools routing model: officers as vehicles, visits as optional nodes.

Node layout: ``0..V-1`` the officers' start points, ``V..2V-1`` their free
end points (reached at no cost from anywhere, so a route ends at its last
visit), then one node per candidate visit (:class:`Task`).

* arc cost: 10 x driving minutes (so a tenth of a minute is the resolution);
* time dimension: cumul = arrival minute; transit = service at the origin +
  driving minutes rounded up; waiting is free (slack);
* each task is optional with a drop penalty (its value), a hard arrival
  range and a soft target arrival (cost ``weight`` per minute away from it) -
  the random targets are what makes plans differ from day to day;
* search: parallel cheapest insertion, then greedy descent to a local
  optimum (guided local search for ``work_limit`` more solutions when asked).
  No wall-clock limit anywhere, so a seed gives one plan.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from planning.domain import FloatArray, Locations
from planning.patrol.model import Site
from planning.travel import TravelTimeModel

__all__ = ["Schedule", "Task", "Vehicle", "solve"]

ARC_SCALE = 10
"""Cost units per driving minute."""


@dataclass(frozen=True)
class Vehicle:
    """An officer available from ``begin`` at a point until ``end``."""

    officer_id: str
    lat: float
    lon: float
    begin: int
    end: int


@dataclass(frozen=True)
class Task:
    """A candidate visit: where, which window, when, and what dropping it costs."""

    site: Site
    label: str | None
    earliest: int
    latest: int
    target: int
    penalty: int
    weight: int
    vehicles: tuple[int, ...]


@dataclass(frozen=True)
class Schedule:
    """A solved route: ``(task index, arrival minute)`` in order, and driving minutes."""

    stops: tuple[tuple[int, int], ...]
    travel_minutes: float


def travel_matrix(
    travel: TravelTimeModel, points: Sequence[tuple[str, float, float]]
) -> FloatArray:
    """Minutes between all ``(id, lat, lon)`` points."""
    locs = Locations(
        ids=tuple(p[0] for p in points),
        lat=np.array([p[1] for p in points], dtype=np.float64),
        lon=np.array([p[2] for p in points], dtype=np.float64),
    )
    return travel.matrix(locs, locs)


def solve(
    *,
    vehicles: Sequence[Vehicle],
    tasks: Sequence[Task],
    travel: TravelTimeModel,
    work_limit: int | None = None,
) -> list[Schedule]:
    """Route ``vehicles`` through the most valuable feasible ``tasks``."""
    nv = len(vehicles)
    sites = list(dict.fromkeys(t.site.id for t in tasks))
    site_pos = {s: k for k, s in enumerate(sites)}
    by_id = {t.site.id: t.site for t in tasks}
    points = [(f"@{v.officer_id}", v.lat, v.lon) for v in vehicles]
    points += [(s, by_id[s].lat, by_id[s].lon) for s in sites]
    minutes = travel_matrix(travel, points)
    # node -> row of ``minutes`` (ends have none: reaching them is free)
    row = list(range(nv)) + [-1] * nv + [nv + site_pos[t.site.id] for t in tasks]
    service = [0] * (2 * nv) + [t.site.service for t in tasks]
    n = len(row)
    cost = [[0] * n for _ in range(n)]
    transit = [[0] * n for _ in range(n)]
    for i in range(n):
        if row[i] < 0:
            continue
        for j in range(n):
            if row[j] < 0 or i == j:
                transit[i][j] = service[i]
                continue
            m = float(minutes[row[i], row[j]])
            cost[i][j] = round(ARC_SCALE * m)
            transit[i][j] = service[i] + math.ceil(m - 1e-9)
    manager = pywrapcp.RoutingIndexManager(n, nv, list(range(nv)), list(range(nv, 2 * nv)))
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost))
    routing.AddDimension(routing.RegisterTransitMatrix(transit), 24 * 60, 24 * 60, False, "time")
    time = routing.GetDimensionOrDie("time")
    for v, veh in enumerate(vehicles):
        time.CumulVar(routing.Start(v)).SetRange(veh.begin, veh.begin)
        time.CumulVar(routing.End(v)).SetRange(veh.begin, max(veh.begin, veh.end))
    for k, t in enumerate(tasks):
        index = manager.NodeToIndex(2 * nv + k)
        time.CumulVar(index).SetRange(t.earliest, t.latest)
        if t.weight:
            time.SetCumulVarSoftLowerBound(index, t.target, t.weight)
            time.SetCumulVarSoftUpperBound(index, t.target, t.weight)
        if len(t.vehicles) < nv:
            routing.VehicleVar(index).SetValues([-1, *t.vehicles])
        routing.AddDisjunction([index], t.penalty)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    if work_limit:
        params.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        )
        params.solution_limit = work_limit
    else:
        params.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        )
    solution = routing.SolveWithParameters(params)
    out: list[Schedule] = []
    for v in range(nv):
        stops: list[tuple[int, int]] = []
        driven = 0.0
        prev = row[v]
        if solution is not None:
            index = routing.Start(v)
            index = solution.Value(routing.NextVar(index))
            while not routing.IsEnd(index):
                node = manager.IndexToNode(index)
                stops.append((node - 2 * nv, int(solution.Min(time.CumulVar(index)))))
                driven += float(minutes[prev, row[node]])
                prev = row[node]
                index = solution.Value(routing.NextVar(index))
        out.append(Schedule(stops=tuple(stops), travel_minutes=driven))
    return out
