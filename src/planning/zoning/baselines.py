"""Baselines for the benchmark (``bench/planning.py``), on the same travel model.

* :func:`feeder_kmeans_plan`: schools grouped by high school, each group
  split by k-means (Lloyd 1982, k-means++ seeding, Arthur & Vassilvitskii
  2007) into a number of zones proportional to its size (largest
  remainder); each zone's post is its call-weighted medoid. Zone sizes are
  not enforced: this is the "obvious" manual plan. Groups are the planner's
  feeder areas (default) or, with ``groups="nearest"``, the schools nearest
  each high school regardless of feeder lines.
* :func:`spopt_pmedian_plan`: PySAL ``spopt`` p-median (ReVelle & Swain 1970)
  on the full travel matrix, call-weighted, no size band, no alignment,
  solved by CBC through PuLP. ``spopt`` is a dev-only dependency, imported
  lazily.
* :func:`plan_from_assignment` turns any school-to-post assignment into a
  :class:`~planning.domain.Plan` with the same objective as the planner.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np

from planning.domain import FloatArray, IntArray, Locations, Plan, School, Zone, travel_gap
from planning.rng import as_generator
from planning.travel import TravelTimeModel
from planning.zoning.areas import build_areas
from planning.zoning.assemble import numbered

__all__ = ["feeder_kmeans_plan", "kmeans", "plan_from_assignment", "spopt_pmedian_plan"]


def plan_from_assignment(
    *,
    schools: Sequence[School],
    travel: TravelTimeModel,
    post_of: IntArray,
    solver: str,
    seconds: float,
    lower_bound: float = math.nan,
    aligned: bool = False,
) -> Plan:
    """A :class:`Plan` from ``post_of[j]`` = index of school ``j``'s post."""
    loc = Locations.of(list(schools))
    zones: list[tuple[str, Zone]] = []
    total = 0.0
    w_all = np.array([s.calls_per_day for s in schools])
    for p in np.unique(post_of):
        members = np.flatnonzero(post_of == p)
        t = travel.matrix(loc.take([int(p)]), loc.take(members))[0]
        w = w_all[members]
        wt = float(t @ w)
        total += wt
        post = schools[int(p)]
        zones.append(
            (
                post.name,
                Zone(
                    id="",
                    area=None,
                    school_ids=tuple(schools[int(m)].id for m in members),
                    post_id=post.id,
                    calls_per_day=float(w.sum()),
                    max_travel_minutes=float(t.max()),
                    weighted_travel_minutes=wt,
                    dedicated=False,
                ),
            )
        )
    zones.sort(key=lambda r: r[0])
    final = numbered([z for _, z in zones])
    objective = total / float(w_all.sum())
    gap = travel_gap(
        objective=objective, lower_bound=lower_bound, startup_minutes=travel.startup_minutes
    )
    return Plan(
        officers=len(final),
        zones=final,
        objective=objective,
        lower_bound=lower_bound,
        gap=gap,
        solver=solver,
        seconds=seconds,
        aligned=aligned,
    )


def _km_xy(schools: Sequence[School]) -> FloatArray:
    lat = np.array([s.lat for s in schools])
    lon = np.array([s.lon for s in schools])
    ky = 111.195
    kx = ky * math.cos(math.radians(float(lat.mean())))
    return np.column_stack([(lon - lon.mean()) * kx, (lat - lat.mean()) * ky])


def kmeans(xy: FloatArray, k: int, *, rng: np.random.Generator, iterations: int = 100) -> IntArray:
    """Lloyd's k-means with k-means++ seeding; no empty clusters (reseeded)."""
    n = xy.shape[0]
    k = min(k, n)
    centres = [xy[int(rng.integers(n))]]
    d2 = ((xy - centres[0]) ** 2).sum(1)
    for _ in range(1, k):
        p = d2 / d2.sum() if d2.sum() > 0 else np.full(n, 1.0 / n)
        centres.append(xy[int(rng.choice(n, p=p))])
        d2 = np.minimum(d2, ((xy - centres[-1]) ** 2).sum(1))
    c = np.array(centres)
    label: IntArray = np.zeros(n, dtype=np.int64)
    for _ in range(iterations):
        dist = ((xy[:, None, :] - c[None, :, :]) ** 2).sum(-1)
        new = np.argmin(dist, axis=1).astype(np.int64)
        counts = np.bincount(new, minlength=k)
        for e in np.flatnonzero(counts == 0):
            far = int(np.argmax(dist[np.arange(n), new]))
            new[far] = e
            counts = np.bincount(new, minlength=k)
        if np.array_equal(new, label) and _ > 0:
            break
        label = new
        for j in range(k):
            c[j] = xy[label == j].mean(axis=0)
    return label


def feeder_kmeans_plan(
    *,
    schools: Sequence[School],
    travel: TravelTimeModel,
    officers: int,
    seed: int | np.random.Generator | None = 0,
    groups: str = "feeder",
    min_size: int = 3,
    max_size: int = 7,
) -> Plan:
    """High-school groups split by k-means (see module docstring).

    Parameters
    ----------
    groups
        ``"feeder"`` (default): the planner's own high-school areas
        (:func:`planning.zoning.areas.build_areas`: feeder, residence zone or
        nearest, small areas merged), so the baseline keeps the alignment and
        differs only in how it cuts zones. ``"nearest"``: every school joins
        the high school (level ``high``/``combined``) nearest by travel time,
        ignoring feeder lines.
    min_size, max_size
        Used only to build the feeder areas (k-means ignores the band).
    """
    t0 = time.perf_counter()
    rng = as_generator(seed)
    loc = Locations.of(list(schools))
    if groups == "feeder":
        areas = build_areas(schools=schools, min_size=min_size, max_size=max_size)
        parts = [np.asarray(m, dtype=np.int64) for m in areas.members]
    elif groups == "nearest":
        hs = [i for i, s in enumerate(schools) if s.level in ("high", "combined")]
        if not hs:
            raise ValueError("no high schools to group around")
        group = np.empty(len(schools), dtype=np.int64)
        block = 2000
        for s in range(0, len(schools), block):
            idx = np.arange(s, min(s + block, len(schools)))
            t = travel.matrix(loc.take(hs), loc.take(idx))
            group[idx] = np.asarray(hs)[np.argmin(t, axis=0)]
        parts = [np.flatnonzero(group == h) for h in hs]
        parts = [p for p in parts if p.size]
    else:
        raise ValueError(f"groups must be 'feeder' or 'nearest', got {groups!r}")
    if officers < len(parts):
        raise ValueError(f"need at least one officer per group ({len(parts)})")
    sizes = np.array([g.size for g in parts], dtype=np.float64)
    share = officers * sizes / sizes.sum()
    k = np.minimum(np.maximum(1, np.floor(share)), sizes).astype(np.int64)
    while k.sum() < officers:  # largest remainder
        gain = np.where(k < sizes, share - k, -np.inf)
        if not np.isfinite(gain).any():
            break
        k[int(np.argmax(gain))] += 1
    while k.sum() > officers:
        over = np.where(k > 1, k - share, -np.inf)
        k[int(np.argmax(over))] -= 1
    xy = _km_xy(schools)
    w = np.array([s.calls_per_day for s in schools])
    post_of = np.empty(len(schools), dtype=np.int64)
    for g, kg in zip(parts, k.tolist(), strict=True):
        label = kmeans(xy[g], kg, rng=rng)
        for c in np.unique(label):
            members = g[label == c]
            m = travel.matrix(loc.take(members), loc.take(members)) * w[members][None, :]
            post_of[members] = members[int(np.argmin(m.sum(axis=1)))]
    return plan_from_assignment(
        schools=schools,
        travel=travel,
        post_of=post_of,
        solver=f"{groups}+k-means",
        seconds=time.perf_counter() - t0,
        aligned=groups == "feeder",
    )


def spopt_pmedian_plan(
    *,
    schools: Sequence[School],
    travel: TravelTimeModel,
    officers: int,
    time_limit: float = 120.0,
) -> Plan:
    """PySAL ``spopt`` p-median with ``time_limit`` seconds in all (dev dependency).

    The solver is HiGHS through PuLP when ``highspy`` is installed (as the
    planning anchors measured), else CBC. ``time_limit`` bounds model building
    plus solving: the solver gets what the PuLP model build (n^2 variables)
    leaves, at least 10 seconds.
    """
    import pulp  # noqa: PLC0415 - solver loaded only for this baseline
    from spopt.locate import PMedian  # noqa: PLC0415 - solver loaded only for this baseline

    t0 = time.perf_counter()
    loc = Locations.of(list(schools))
    cost = travel.matrix(loc, loc).T  # clients x facilities
    w = np.array([s.calls_per_day for s in schools])
    model = PMedian.from_cost_matrix(cost, w, p_facilities=officers)
    left = max(10.0, time_limit - (time.perf_counter() - t0))
    highs = pulp.HiGHS(msg=False, timeLimit=left)
    solver, solver_name = (
        (highs, "HiGHS")
        if highs.available()
        else (pulp.PULP_CBC_CMD(msg=False, timeLimit=left), "CBC")
    )
    model = model.solve(solver)
    post_of = np.full(len(schools), -1, dtype=np.int64)
    for fac, clients in enumerate(model.fac2cli):
        for c in clients:
            post_of[int(c)] = fac
    if (post_of < 0).any():
        raise RuntimeError("spopt returned an incomplete assignment (time limit?)")
    for p in np.unique(post_of):  # a facility serves itself in the optimum; enforce it
        post_of[p] = p
    return plan_from_assignment(
        schools=schools,
        travel=travel,
        post_of=post_of,
        solver=f"spopt p-median ({solver_name})",
        seconds=time.perf_counter() - t0,
    )
