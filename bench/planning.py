"""Benchmark of the SSO zone planner (issue 3, acceptance item 5).

Run: ``uv run python bench/planning.py [--only jcps,1000,10000] [--spopt-timeout 300]``

For each district (the real JCPS file with 30 officers; synthetic districts of
1,000 and 10,000 schools with 200 and 2,000 officers, the issue's "200 zones"
ratio) it prints, on one travel model (haversine x 1.3 at 30 mph + 1.5 min):

* the aligned planner: seconds, gap to its lower bound, objective, predicted
  mean and p90 response (hypercube approximation);
* the unaligned option (zones free of feeder lines);
* baseline 1 (the ratio base): the planner's own feeder areas split by
  k-means, officers per area proportional to size ("feeder + k-means");
* baseline 1b: schools joined to their nearest high school regardless of
  feeder lines, split the same way;
* baseline 2: PySAL spopt p-median (unconstrained; HiGHS, else CBC), run in a child
  process with a hard wall-clock limit (skipped at 10,000 with the reason).

Ratios are against the feeder + k-means baseline run in the same process
(timings on a shared 2-core box vary by about 15 %).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import multiprocessing as mp
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would
# hide the planning package: drop that entry before importing it.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import numpy as np  # noqa: E402

from planning.domain import Plan, School  # noqa: E402
from planning.io.schools import read_schools  # noqa: E402
from planning.staffing import evaluate_plan  # noqa: E402
from planning.travel import HaversineTravel  # noqa: E402
from planning.zoning.baselines import feeder_kmeans_plan, plan_from_assignment, spopt_pmedian_plan  # noqa: E402
from planning.zoning.planner import ZonePlanner  # noqa: E402
from planning.zoning.synthetic import synthetic_district  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
JCPS = ROOT.parent / "shared" / "data" / "jcps" / "schools.csv"
TRAVEL = HaversineTravel()
GOALS = {"jcps": (5.0, 0.005), "1000": (30.0, 0.01), "10000": (300.0, 0.02)}


@dataclass
class Row:
    district: str
    method: str
    officers: int
    seconds: float
    objective: float
    gap: float
    mean: float
    p90: float
    sizes: str
    note: str = ""


def _respond(plan: Plan, schools: tuple[School, ...]) -> tuple[float, float, float]:
    t0 = time.perf_counter()
    r = evaluate_plan(plan=plan, schools=schools, travel=TRAVEL, method="auto")
    return r.mean_minutes, r.p90_minutes, time.perf_counter() - t0


def _row(
    district: str, method: str, plan: Plan, schools: tuple[School, ...], note: str = ""
) -> Row:
    mean, p90, secs = _respond(plan, schools)
    sizes = [len(z.school_ids) for z in plan.zones if not z.dedicated]
    return Row(
        district, method, plan.officers, plan.seconds, plan.objective, plan.gap, mean, p90,
        f"{min(sizes)}-{max(sizes)}", (note + f" response {secs:.1f}s").strip(),
    )  # fmt: skip


def _spopt_child(schools: tuple[School, ...], officers: int, limit: float, q: mp.Queue) -> None:  # type: ignore[type-arg]
    os.setpgrp()  # own process group, so the parent can stop the solver with it
    try:
        plan = spopt_pmedian_plan(
            schools=schools, travel=TRAVEL, officers=officers, time_limit=limit
        )
        index = {s.id: i for i, s in enumerate(schools)}
        post_of = np.empty(len(schools), dtype=np.int64)
        for z in plan.zones:
            for sid in z.school_ids:
                post_of[index[sid]] = index[z.post_id]
        q.put(("ok", post_of.tolist(), plan.seconds))
    except Exception as exc:  # report any failure to the parent
        q.put(("error", repr(exc), 0.0))


def _spopt(schools: tuple[School, ...], officers: int, timeout: float) -> tuple[Plan | None, str]:
    ctx = mp.get_context("fork")
    q: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    proc = ctx.Process(target=_spopt_child, args=(schools, officers, 0.9 * timeout, q))
    t0 = time.perf_counter()
    proc.start()
    try:
        kind, payload, _ = q.get(timeout=timeout)
    except Exception:
        kind, payload = "timeout", None
    finally:
        if proc.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the child's own group (setpgrp)
        proc.join(5)
    wall = time.perf_counter() - t0
    if kind != "ok":
        return None, f"spopt: no result ({kind}: {payload}) within {wall:.0f} s"
    plan = plan_from_assignment(
        schools=schools, travel=TRAVEL, post_of=np.asarray(payload), solver="spopt",
        seconds=wall,
    )  # fmt: skip
    return plan, ""


def bench_district(
    name: str, schools: tuple[School, ...], officers: int, args: argparse.Namespace
) -> list[Row]:
    rows: list[Row] = []
    t0 = time.perf_counter()
    planner = ZonePlanner(schools=schools, travel=TRAVEL, seed=args.seed)
    plan = planner.plan(officers)
    plan = Plan(**{**plan.__dict__, "seconds": time.perf_counter() - t0})
    rows.append(_row(name, f"aligned ({plan.solver})", plan, schools,
                     f"min K {planner.minimum_officers}, {len(plan.merges)} merges"))  # fmt: skip
    base = feeder_kmeans_plan(schools=schools, travel=TRAVEL, officers=officers, seed=args.seed)
    rows.append(_row(name, "feeder+k-means", base, schools, "same areas"))
    near = feeder_kmeans_plan(
        schools=schools, travel=TRAVEL, officers=officers, seed=args.seed, groups="nearest"
    )
    rows.append(_row(name, "nearest-HS+k-means", near, schools, "ignores feeders"))
    if len(schools) <= 4000:
        t0 = time.perf_counter()
        free = ZonePlanner(schools=schools, travel=TRAVEL, aligned=False, seed=args.seed)
        fplan = free.plan(officers)
        fplan = Plan(**{**fplan.__dict__, "seconds": time.perf_counter() - t0})
        rows.append(_row(name, f"unaligned ({fplan.solver})", fplan, schools))
    else:
        print(f"[{name}] unaligned option skipped: {len(schools)} schools > 4,000 "
              "(dense n x n cost matrix, 0.8 GB at 10,000)", flush=True)  # fmt: skip
    if len(schools) <= args.spopt_max:
        sp, why = _spopt(schools, officers, args.spopt_timeout)
        if sp is not None:
            rows.append(_row(name, "spopt p-median", sp, schools, "no size band, unaligned"))
        else:
            print(f"[{name}] {why}", flush=True)
    else:
        print(f"[{name}] spopt skipped: {len(schools)} schools > {args.spopt_max}; its PuLP model "
              "has n^2 variables (10^8 here) and took 270 s at 1,000 (planning-anchors.md 2.1)",
              flush=True)  # fmt: skip
    return rows


def _print(rows: list[Row]) -> None:
    head = (f"{'district':8} {'method':34} {'K':>5} {'seconds':>8} {'objective':>9} {'gap %':>7} "
            f"{'mean':>6} {'p90':>6} {'x base':>6} {'sizes':>6}  note")  # fmt: skip
    print(head)
    print("-" * len(head))
    for r in rows:
        base = next(x for x in rows if x.district == r.district and x.method == "feeder+k-means")
        gap = "n/a" if not math.isfinite(r.gap) else f"{100 * r.gap:.3f}"
        print(
            f"{r.district:8} {r.method[:34]:34} {r.officers:5d} {r.seconds:8.2f} "
            f"{r.objective:9.4f} {gap:>7} {r.mean:6.3f} {r.p90:6.3f} "
            f"{r.mean / base.mean:6.3f} {r.sizes:>6}  {r.note}"
        )


def _verdicts(rows: list[Row]) -> None:
    print()
    for d in dict.fromkeys(r.district for r in rows):
        mine = [r for r in rows if r.district == d]
        al = next(r for r in mine if r.method.startswith("aligned"))
        base = next(r for r in mine if r.method == "feeder+k-means")
        secs, gap = GOALS[d]
        ok_t = "ok" if al.seconds <= secs else "MISSED"
        ok_g = "ok" if al.gap <= gap else "MISSED"
        print(f"[{d}] aligned: {al.seconds:.2f} s (goal <= {secs:g} s: {ok_t}), gap "
              f"{100 * al.gap:.4f}% (goal <= {100 * gap:g}%: {ok_g})")  # fmt: skip
        verdict = "beats" if al.mean < base.mean else "DOES NOT beat"
        print(f"[{d}] aligned {verdict} feeder+k-means on mean response: {al.mean:.3f} vs "
              f"{base.mean:.3f} min ({100 * (al.mean / base.mean - 1):+.1f}%); "
              f"p90 {al.p90:.3f} vs {base.p90:.3f}")  # fmt: skip
        for other in ("unaligned", "spopt"):
            r = next((x for x in mine if x.method.startswith(other)), None)
            if r is None:
                continue
            more = 100 * (al.objective / r.objective - 1)
            print(
                f"[{d}] price of alignment vs {other}: mean response {al.mean:.3f} vs "
                f"{r.mean:.3f} min ({100 * (al.mean / r.mean - 1):+.1f}%), objective "
                f"{al.objective:.4f} vs {r.objective:.4f} ({more:+.1f}%)"
            )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default="jcps,1000,10000")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--spopt-timeout", type=float, default=1200.0, help="wall-clock s per spopt run")
    p.add_argument("--spopt-max", type=int, default=1000, help="largest district given to spopt")
    args = p.parse_args()
    rows: list[Row] = []
    for which in args.only.split(","):
        if which == "jcps":
            if not JCPS.is_file():
                print(f"[jcps] skipped: {JCPS} not found", flush=True)
                continue
            schools, k = read_schools(JCPS), 30
        else:
            n = int(which)
            schools, k = synthetic_district(n=n, seed=args.seed), n // 5
        print(f"[{which}] {len(schools)} schools, {k} officers ...", file=sys.stderr, flush=True)
        rows.extend(bench_district(which, schools, k, args))
    _print(rows)
    _verdicts(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
