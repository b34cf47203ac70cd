r"""Zone plans for a district: areas, per-area solves, allocation, assembly.

:class:`ZonePlanner` is built once per district and constraint set and then
asked for plans at any officer count (the staffing curve asks for many).

Aligned plans (default):

1. dedicated schools (``dedicated``) get one officer each, posted at the
   school;
2. the other schools are grouped into high-school areas
   (:func:`planning.zoning.areas.build_areas`, merging small areas);
3. each area :math:`a` and zone count :math:`k` is a
   :class:`~planning.zoning.problem.ZoneProblem`, solved exactly by MILP
   with the heuristic's result as incumbent (or by the heuristic alone for
   ``method="heuristic"``), and cached;
4. :func:`planning.zoning.allocate.allocate` picks the counts :math:`k_a`
   exactly; the same DP over the per-area dual bounds gives the plan's lower
   bound.

The workload band is relative to the mean calls per (non-dedicated)
officer, :math:`[\beta^- \bar w, \beta^+ \bar w]`, :math:`\bar w = W/K'`.
An area's unbanded solution that already satisfies the band is optimal for
the banded problem too, so it is reused; only violations are re-solved.

Unaligned plans treat all non-dedicated schools as one area: exact MILP up
to ``exact_max_schools`` schools (node-limited, heuristic incumbent), the
heuristic above that.

The gap is reported on travel time: the start-up minutes every call pays
(:attr:`~planning.travel.HaversineTravel.startup_minutes`) are taken out of
both the objective and the bound, so a 1.5-minute constant cannot make a plan
look closer to optimal than it is.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Collection, Sequence

import numpy as np
from tqdm import tqdm

from planning.domain import (
    AreaMerge,
    FloatArray,
    InfeasibleError,
    Locations,
    Plan,
    School,
    SchoolTravel,
    travel_gap,
)
from planning.rng import as_generator
from planning.travel import TravelTimeModel
from planning.zoning.allocate import allocate, bound_totals
from planning.zoning.areas import Areas, build_areas
from planning.zoning.assemble import PlannedArea, assemble_zones
from planning.zoning.exact import (
    DEFAULT_NODE_LIMIT,
    lagrangian_bound,
    solve_exact,
    solve_relaxation,
)
from planning.zoning.heuristic import solve_heuristic
from planning.zoning.problem import ZoneProblem, ZoneSolution

__all__ = ["DEFAULT_BALANCE", "ZonePlanner"]

DEFAULT_BALANCE = (0.0, 3.0)
"""Calls per officer allowed, as multiples of the district mean (low, high)."""

_LP_MAX = 400
"""Largest sub-problem (schools) given an LP relaxation; above it the heuristic alone."""
_LAGRANGE_MAX = 4000
"""Largest sub-problem given a Lagrangian bound (it needs the dense n x n costs)."""
_MILP_GAP = 1e-6
"""Relative gap at which a per-area MILP stops."""


class ZonePlanner:
    r"""Design zone plans for one district under fixed constraints.

    Parameters
    ----------
    schools
        All active schools.
    travel
        Travel-time model.
    min_size, max_size
        Schools per zone (default 3-7, the adopted JCPS plan).
    dedicated
        Ids of schools that get their own officer.
    aligned
        Zones follow high-school areas (default) or not.
    allow_merge
        Merge areas too small to form a zone.
    balance
        Workload band as multiples of the mean calls per officer; default
        :data:`DEFAULT_BALANCE`.
    method
        ``"auto"`` (LP bound and LP-seeded heuristic per area and count, then
        the MILP wherever the bound leaves an allocation open), ``"exact"``
        (the MILP on every sub-problem the LP does not close) or
        ``"heuristic"`` (no MILP; LP bounds only). Sub-problems above 400
        schools (unaligned large districts) get the heuristic seeded by a
        Lagrangian relaxation, which also gives their bound (up to 4,000
        schools).
    time_limit
        Safety stop in seconds per solve; plans stop on work limits
        (``node_limit``), so a plan is the same on any machine unless this
        stop is reached (the plan's notes then say so).
    node_limit
        Branch-and-bound nodes per MILP.
    equity
        Weight :math:`e \in [0, 1]` of schools against calls in the objective:
        school :math:`j` counts :math:`w'_j = (1-e)\,w_j + e\,W/J` (calls
        :math:`w_j`, :math:`W = \sum w_j`, :math:`J` schools), so 0 is the
        call-weighted mean (posts near busy middle and high schools) and 1 the
        plain mean over schools (no school left far away because it is quiet).
        The workload band still counts calls.
    seed
        Seed of the heuristic's restarts (see :func:`planning.rng.as_generator`).
    progress
        Show a tqdm bar on stderr when it is a terminal.

    Raises
    ------
    InputError
        From area building (e.g. a small area with merges off).
    """

    def __init__(
        self,
        *,
        schools: Sequence[School],
        travel: TravelTimeModel,
        min_size: int = 3,
        max_size: int = 7,
        dedicated: Collection[str] = (),
        aligned: bool = True,
        allow_merge: bool = True,
        balance: tuple[float, float] = DEFAULT_BALANCE,
        method: str = "auto",
        time_limit: float = 600.0,
        node_limit: int = DEFAULT_NODE_LIMIT,
        equity: float = 0.0,
        seed: int | None = 0,
        progress: bool = False,
    ) -> None:
        if not 1 <= min_size <= max_size:
            raise InfeasibleError(
                f"need 1 <= min size <= max size, got {min_size}-{max_size}; "
                "change --min-size/--max-size"
            )
        if method not in ("auto", "exact", "heuristic"):
            raise ValueError(f"method must be auto, exact or heuristic, got {method!r}")
        if not 0.0 <= equity <= 1.0:
            raise InfeasibleError(
                f"equity must lie between 0 and 1, got {equity:g}; change --equity"
            )
        if not 0.0 <= balance[0] <= 1.0 <= balance[1]:
            raise InfeasibleError(
                f"workload band {balance[0]}-{balance[1]} must contain 1 (the mean); "
                "change --balance"
            )
        t0 = time.perf_counter()
        self.schools = tuple(schools)
        self.travel = travel
        self.min_size, self.max_size = min_size, max_size
        self.aligned = aligned
        self.balance = balance
        self.method = method
        self.time_limit = time_limit
        self.node_limit = node_limit
        self.equity = equity
        self.seed = seed
        self.progress = progress
        ids = {s.id: i for i, s in enumerate(self.schools)}
        unknown = sorted(set(dedicated) - set(ids))
        if unknown:
            raise InfeasibleError(f"dedicated school id(s) not in the file: {', '.join(unknown)}")
        self.dedicated = tuple(sorted((ids[d] for d in set(dedicated)), key=int))
        rest = [i for i in range(len(self.schools)) if i not in set(self.dedicated)]
        self.locations = Locations.of(self.schools)
        calls = np.array([sc.calls_per_day for sc in self.schools], dtype=np.float64)
        self._total_calls = float(calls.sum())
        self._cost_weight: FloatArray = (1.0 - equity) * calls + equity * (
            self._total_calls / max(1, len(self.schools))
        )
        if not rest:
            self.areas = Areas(names=(), members=(), merges=(), notes=())
        elif aligned:
            sub = [self.schools[i] for i in rest]
            a = build_areas(
                schools=sub, min_size=min_size, max_size=max_size, allow_merge=allow_merge
            )
            self.areas = Areas(
                names=a.names,
                members=tuple(tuple(rest[i] for i in m) for m in a.members),
                merges=a.merges,
                notes=a.notes,
            )
        else:
            if len(rest) < min_size:
                raise InfeasibleError(
                    f"{len(rest)} schools cannot form a zone of {min_size}-{max_size}; "
                    "change --min-size"
                )
            self.areas = Areas(names=("",), members=(tuple(rest),), merges=(), notes=())
        self._areas: list[PlannedArea] = []
        for name, members in zip(self.areas.names, self.areas.members, strict=True):
            idx = np.asarray(members, dtype=np.int64)
            loc = self.locations.take(idx)
            self._areas.append(
                PlannedArea(
                    name=name if aligned else None,
                    index=idx,
                    minutes=np.asarray(travel.matrix(loc, loc), dtype=np.float64),
                    weight=np.array([self.schools[i].calls_per_day for i in members]),
                    cost_weight=self._cost_weight[idx],
                    k_min=-(-len(members) // max_size),
                    k_max=len(members) // min_size,
                )
            )
        nd = len(self.dedicated)
        self.minimum_officers = nd + sum(a.k_min for a in self._areas)
        self.maximum_officers = nd + sum(a.k_max for a in self._areas)
        self._cache: dict[tuple[int, int, float, float], ZoneSolution] = {}
        self._tried: set[tuple[int, int, float, float]] = set()
        self._rng = as_generator(seed)
        self.setup_seconds = time.perf_counter() - t0

    @property
    def merges(self) -> tuple[AreaMerge, ...]:
        """Area merges made before zoning."""
        return self.areas.merges

    def _band(self, officers: int) -> tuple[float, float]:
        k = officers - len(self.dedicated)
        total = float(sum(a.weight.sum() for a in self._areas))
        mean = total / k if k > 0 else 0.0
        return self.balance[0] * mean, self.balance[1] * mean

    def _fits_band(self, a: int, sol: ZoneSolution, lo: float, hi: float) -> bool:
        area = self._areas[a]
        loads = np.bincount(sol.post_of, weights=area.weight, minlength=len(area.index))
        used = loads[np.unique(sol.post_of)]
        tol = 1e-9 * max(1.0, float(area.weight.sum()))
        return bool(used.min() >= lo - tol and used.max() <= hi + tol)

    def _problem(self, a: int, k: int, lo: float, hi: float) -> ZoneProblem:
        area = self._areas[a]
        return ZoneProblem(
            minutes=area.minutes,
            weight=area.weight,
            zones=k,
            min_size=self.min_size,
            max_size=self.max_size,
            min_load=lo,
            max_load=hi,
            cost_weight=area.cost_weight,
        )

    def _base(self, a: int, k: int, lo: float, hi: float) -> ZoneSolution:
        """LP bound + heuristic (seeded from the LP); optimal when they meet."""
        key = (a, k, lo, hi)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if lo > 0.0 or math.isfinite(hi):
            free = self._base(a, k, 0.0, math.inf)
            if free.feasible and self._fits_band(a, free, lo, hi):
                # banded feasible set is a subset: same solution, bound still valid
                self._cache[key] = free
                return free
        problem = self._problem(a, k, lo, hi)
        n = problem.n
        relax = solve_relaxation(problem, time_limit=self.time_limit) if n <= _LP_MAX else None
        if relax is not None and relax.integral is not None:
            sol = relax.integral
        elif relax is not None and relax.bound == math.inf:
            sol = ZoneSolution(
                post_of=np.arange(n, dtype=np.int64),
                objective=math.inf,
                bound=math.inf,
                optimal=True,
                feasible=False,
                solver="exact (infeasible)",
            )
        else:
            heur = solve_heuristic(
                problem,
                rng=self._rng,
                starts=1,
                seed_posts=None if relax is None else relax.post_weight,
            )
            bound = -math.inf if relax is None else relax.bound
            if relax is None and n <= _LAGRANGE_MAX and heur.feasible:
                bound, scores = lagrangian_bound(problem, upper=heur.objective)
                again = solve_heuristic(problem, rng=self._rng, starts=0, seed_posts=scores)
                if again.feasible and again.objective < heur.objective:
                    heur = again
            closed = heur.feasible and heur.objective <= bound * (1.0 + 1e-9) + 1e-12
            sol = ZoneSolution(
                post_of=heur.post_of,
                objective=heur.objective if heur.feasible else math.inf,
                bound=min(bound, heur.objective) if heur.feasible else bound,
                optimal=closed,
                feasible=heur.feasible,
                solver="exact (LP bound met)" if closed else "heuristic",
            )
        self._cache[key] = sol
        return sol

    def _tighten(self, a: int, k: int, lo: float, hi: float) -> ZoneSolution:
        """Run the MILP on (area, k), with the current solution as incumbent."""
        key = (a, k, lo, hi)
        cur = self._base(a, k, lo, hi)
        if cur.optimal:
            return cur
        sol = solve_exact(
            self._problem(a, k, lo, hi),
            node_limit=self.node_limit,
            time_limit=self.time_limit,
            incumbent=cur if cur.feasible else None,
            rel_gap=_MILP_GAP,
        )
        if cur.feasible and math.isfinite(cur.bound):
            sol = ZoneSolution(
                post_of=sol.post_of,
                objective=sol.objective,
                bound=min(max(sol.bound, cur.bound), sol.objective),
                optimal=sol.optimal,
                feasible=sol.feasible,
                solver=sol.solver,
                stopped_on_time=sol.stopped_on_time,
            )
        self._cache[key] = sol
        return sol

    def plan(self, officers: int) -> Plan:
        """The best plan found for ``officers`` officers (dedicated included).

        Raises
        ------
        InfeasibleError
            When ``officers`` is outside the feasible range (the message names
            the minimum or maximum) or the workload band cannot be met.
        """
        t0 = time.perf_counter()
        lo_k, hi_k = self.minimum_officers, self.maximum_officers
        what = " aligned with high schools" if self.aligned else ""
        if officers < lo_k:
            raise InfeasibleError(
                f"{officers} officers cannot cover the district: zones of "
                f"{self.min_size}-{self.max_size} schools{what} need at least {lo_k} officers"
                + (f" ({len(self.dedicated)} dedicated)" if self.dedicated else "")
                + f"; use --officers {lo_k} or more, or raise --max-size",
                minimum=lo_k,
                maximum=hi_k,
            )
        if officers > hi_k:
            raise InfeasibleError(
                f"{officers} officers is more than zones of at least {self.min_size} schools "
                f"allow (at most {hi_k}); use --officers {hi_k} or fewer, or lower --min-size",
                minimum=lo_k,
                maximum=hi_k,
            )
        k_total = officers - len(self.dedicated)
        lo, hi = self._band(officers)
        slack = k_total - sum(a.k_min for a in self._areas)
        jobs = [
            (ai, k)
            for ai, area in enumerate(self._areas)
            for k in range(area.k_min, min(area.k_max, area.k_min + slack) + 1)
        ]
        if not self.aligned:
            jobs = [(0, k_total)] if self._areas else []
        bar = tqdm(
            jobs,
            desc=f"zones K={officers}",
            unit="area",
            file=sys.stderr,
            disable=None if self.progress else True,
            leave=False,
        )
        sols: dict[tuple[int, int], ZoneSolution] = {}
        for ai, k in bar:
            sols[(ai, k)] = self._base(ai, k, lo, hi)
        bar.close()
        while True:
            costs, bounds = self._tables(sols)
            best = allocate(costs=costs, total=k_total) if self._areas else (0.0, ())
            if best is None or self.method == "heuristic":
                break
            upper = best[0]
            totals = bound_totals(bounds, k_total)
            open_jobs = [
                (ai, k)
                for (ai, k), sol in sols.items()
                if not sol.optimal and totals[ai].get(k, math.inf) < upper * (1 - 1e-9)
            ]
            if self.method == "exact":
                open_jobs = [key for key, sol in sols.items() if not sol.optimal]
            else:  # a MILP with n^2 binaries is hopeless above the LP size limit
                open_jobs = [
                    (ai, k) for ai, k in open_jobs if self._areas[ai].index.size <= _LP_MAX
                ]
            open_jobs = [key for key in open_jobs if (*key, lo, hi) not in self._tried]
            if not open_jobs:
                break
            for ai, k in tqdm(
                open_jobs,
                desc=f"MILP K={officers}",
                unit="area",
                file=sys.stderr,
                disable=None if self.progress else True,
                leave=False,
            ):
                self._tried.add((ai, k, lo, hi))
                sols[(ai, k)] = self._tighten(ai, k, lo, hi)
        if best is None:
            raise InfeasibleError(
                f"no plan with {officers} officers keeps every officer's calls within "
                f"{self.balance[0]:g}-{self.balance[1]:g} x the mean ({lo:.2f}-{hi:.2f} "
                "calls/day); widen --balance or change --officers",
                minimum=lo_k,
                maximum=hi_k,
            )
        _, counts = best
        costs, bounds = self._tables(sols)
        lb_alloc = allocate(costs=bounds, total=k_total) if self._areas else (0.0, ())
        lb_sum = lb_alloc[0] if lb_alloc is not None else math.inf
        zones, weighted, school_minutes = assemble_zones(
            schools=self.schools,
            areas=self._areas,
            dedicated=self.dedicated,
            locations=self.locations,
            travel=self.travel,
            aligned=self.aligned,
            sols=sols,
            counts=counts,
            dedicated_cost_weight=[float(self._cost_weight[i]) for i in self.dedicated],
        )
        total_w = self._total_calls
        ded = float(sum(school_minutes[i] * self._cost_weight[i] for i in self.dedicated))
        objective = weighted / total_w
        lower = min((ded + lb_sum) / total_w, objective) if math.isfinite(lb_sum) else -math.inf
        gap = travel_gap(
            objective=objective, lower_bound=lower, startup_minutes=self.travel.startup_minutes
        )
        used = (
            [sols[(ai, k)] for ai, k in enumerate(counts)] if self.aligned else [sols[(0, k_total)]]
        )
        if all(s.optimal for s in used):
            solver = "exact"
        elif self.method == "heuristic" or not any(s.optimal for s in used):
            solver = "heuristic"
        else:
            solver = "exact+heuristic"
        notes = tuple(self.areas.notes)
        if any(s.stopped_on_time for s in used):
            notes += (
                "A solve stopped on its time limit (--time-limit), not its work limit: "
                "another run may give a different plan.",
            )
        return Plan(
            officers=officers,
            zones=zones,
            objective=objective,
            lower_bound=lower,
            gap=gap,
            solver=solver,
            seconds=time.perf_counter() - t0 + self.setup_seconds,
            aligned=self.aligned,
            merges=self.merges,
            minimum_officers=lo_k,
            maximum_officers=hi_k,
            notes=notes,
            equity=self.equity,
            school_travel=SchoolTravel.of(schools=self.schools, minutes=school_minutes),
        )

    def _tables(
        self, sols: dict[tuple[int, int], ZoneSolution]
    ) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
        costs: list[dict[int, float]] = [{} for _ in self._areas]
        bounds: list[dict[int, float]] = [{} for _ in self._areas]
        for (ai, k), sol in sols.items():
            costs[ai][k] = sol.objective if sol.feasible else math.inf
            bounds[ai][k] = sol.bound
        return costs, bounds
