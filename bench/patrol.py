"""Benchmark of the SSO patrol planner (issue "SSO patrol", acceptance item 3).

Run: ``uv run python bench/patrol.py [--only jcps,1000] [--weeks 4]``

JCPS: the 167 sites of ``shared/data/jcps/schools.csv`` with bell times
(``Start Time``, ``End Time``) and safety counts from ``JCPS_Merged_Data.csv``
(sites without bell times get the middle tier, 8:40-15:20); 30 officers on
the zone planner's zones (:class:`planning.zoning.planner.ZonePlanner`:
feeder high-school areas, 3-7 schools per zone). Windows: arrival = bell - 30
.. bell + 10 min, dismissal = bell - 10 .. bell + 30 min; 10-minute stops.
Shift 06:45-17:00, officers start at their zone's post. Targets: the
higher-risk half of the schools, dismissal required and arrival best effort.

For the patrol plan and the nearest-neighbour baseline in the same run it
prints wall-clock and CPU seconds (the box is shared: wall time varies with
the load, CPU time much less), windows covered / targeted, travel minutes and
the predictability of the last day given the previous ``--weeks`` x 5 school
days (each day planned with the previous 4 weeks as history), plus a
re-plan of one officer after a call at 10:12 and the absorption of a
lost officer's windows at 10:00. ``1000``: a synthetic district
of 1,000 schools and 200 officers (timing, coverage and travel only).
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would
# hide the planning package: drop that entry before importing it.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import numpy as np  # noqa: E402

from planning.domain import School  # noqa: E402
from planning.io.schools import read_schools  # noqa: E402
from planning.patrol import (  # noqa: E402
    CoverageTarget,
    DayPlan,
    Officer,
    Site,
    TimeWindow,
    absorb,
    nearest_neighbour_plan,
    plan_day,
    predictability,
    replan,
)
from planning.travel import HaversineTravel  # noqa: E402
from planning.zoning.planner import ZonePlanner  # noqa: E402
from planning.zoning.synthetic import synthetic_district  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = [
    ROOT.parent / "shared" / "data" / "jcps",
    ROOT.parents[1] / "shared" / "data" / "jcps",
]
TRAVEL = HaversineTravel()
SHIFT = (6 * 60 + 45, 17 * 60)
TIERS = [(7 * 60 + 30, 14 * 60 + 10), (8 * 60 + 40, 15 * 60 + 20), (9 * 60 + 40, 16 * 60 + 20)]
"""JCPS's three bell tiers (start, end); schools without bell times get the middle one."""
MONDAY = date(2026, 1, 5)


def _minute(text: str) -> int | None:
    m = re.match(r"\s*(\d{1,2})(?::(\d\d))?\s*([ap])\.?m\.?", text.strip().lower())
    if not m:
        return None
    h = int(m.group(1)) % 12 + (12 if m.group(3) == "p" else 0)
    return h * 60 + int(m.group(2) or 0)


def _number(text: str) -> float:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return 0.0


def _jcps_extras(folder: Path) -> dict[str, tuple[int, int, float]]:
    """State code -> (bell start, bell end, assaults and weapons per 100 students)."""
    out: dict[str, tuple[int, int, float]] = {}
    with (folder / "JCPS_Merged_Data.csv").open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            code = row["School Code"].strip()
            start, end = _minute(row["Start Time"]), _minute(row["End Time"])
            if code in out or start is None or end is None:
                continue
            kids = _number(row.get("Membership", "")) or _number(row.get("Enrollment", ""))
            rate = 100 * _number(row.get("Total Assault Or Weapons", "")) / kids if kids else 0.0
            out[code] = (start, end, rate)
    return out


def _sites(schools: tuple[School, ...], bells: dict[str, tuple[int, int, float]]) -> list[Site]:
    rates = [v[2] for v in bells.values()]
    mean_rate = float(np.mean(rates)) if rates else 1.0
    sites = []
    for s in schools:
        start, end, rate = bells.get(s.id, (*TIERS[1], mean_rate))
        sites.append(
            Site(
                id=s.id,
                name=s.name,
                lat=s.lat,
                lon=s.lon,
                kind="school",
                windows=(
                    TimeWindow(start - 30, start + 10, "arrival"),
                    TimeWindow(end - 10, end + 30, "dismissal"),
                ),
                risk=round(0.5 + rate / mean_rate, 3) if mean_rate else 1.0,
            )
        )
    return sites


def _officers(schools: tuple[School, ...], k: int, seed: int) -> list[Officer]:
    zones = ZonePlanner(schools=schools, travel=TRAVEL, seed=seed).plan(k).zones
    by_id = {s.id: s for s in schools}
    return [
        Officer(z.id, by_id[z.post_id].lat, by_id[z.post_id].lon, *SHIFT, z.school_ids)
        for z in zones
    ]


def _targets(sites: list[Site]) -> list[CoverageTarget]:
    """The higher-risk half of the schools: dismissal required, arrival best effort."""
    cut = float(np.median([s.risk for s in sites]))
    risky = [s for s in sites if s.risk >= cut]
    return [CoverageTarget(s.id, "dismissal", True) for s in risky] + [
        CoverageTarget(s.id, "arrival", False) for s in risky
    ]


@dataclass
class Row:
    district: str
    method: str
    seconds: float
    cpu: float
    covered: int
    targeted: int
    required_short: int
    all_windows: float
    travel: float
    visits: int
    predictability: float = math.nan


def _all_windows(plan: DayPlan, sites: list[Site]) -> float:
    done = {(v.site_id, v.window_label) for r in plan.routes.values() for v in r.visits}
    keys = [(s.id, w.label) for s in sites for w in s.windows]
    return sum(k in done for k in keys) / len(keys)


def _row(
    district: str,
    method: str,
    plan: DayPlan,
    sites: list[Site],
    seconds: tuple[float, float],
    pred: float,
) -> Row:
    return Row(
        district,
        method,
        seconds[0],
        seconds[1],
        plan.windows_covered,
        plan.windows_targeted,
        sum(1 for s in plan.shortfalls if s.required),
        _all_windows(plan, sites),
        plan.travel_minutes,
        sum(len(r.visits) for r in plan.routes.values()),
        pred,
    )


def _school_days(n: int) -> list[date]:
    days: list[date] = []
    d = MONDAY
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def _history_run(
    name: str,
    sites: list[Site],
    officers: list[Officer],
    targets: list[CoverageTarget],
    args: argparse.Namespace,
) -> tuple[DayPlan, list[tuple[float, float]], float, float]:
    """Plan ``weeks`` x 5 + 5 school days, each with the previous 4 weeks as history.

    Returns the last plan, the seconds per day, and the predictability of the
    last 5 days (mean) for the plans and for the baseline.
    """
    span = 5 * args.weeks
    days = _school_days(span + 5)
    plans: list[DayPlan] = []
    secs: list[float] = []
    cpus: list[float] = []
    for d in days:
        t0, c0 = time.perf_counter(), time.process_time()
        plans.append(
            plan_day(
                day=d,
                officers=officers,
                sites=sites,
                targets=targets,
                seed=args.seed,
                history=plans[-span:],
            )
        )
        secs.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    base = [nearest_neighbour_plan(day=d, officers=officers, sites=sites) for d in days]
    pred = [
        predictability(history=plans[:k], day_plan=plans[k], days=span)
        for k in range(span, len(days))
    ]
    bpred = [
        predictability(history=base[:k], day_plan=base[k], days=span)
        for k in range(span, len(days))
    ]
    cov = [p.coverage for p in plans]
    req = [sum(s.required for s in p.shortfalls) for p in plans]
    print(
        f"[{name}] {len(days)} school days planned: {min(secs):.2f}-{max(secs):.2f} s each "
        f"(mean {np.mean(secs):.2f}; CPU {min(cpus):.2f}-{max(cpus):.2f} s); "
        f"targeted coverage per day {min(cov):.3f}-{max(cov):.3f} "
        f"(mean {np.mean(cov):.3f}), required windows short per day {min(req)}-{max(req)}; "
        f"predictability of days {span + 1}-{len(days)}: {', '.join(f'{x:.3f}' for x in pred)}",
        flush=True,
    )
    return (
        plans[-1],
        list(zip(secs, cpus, strict=True)),
        float(np.mean(pred)),
        float(np.mean(bpred)),
    )


def bench(
    name: str, sites: list[Site], officers: list[Officer], args: argparse.Namespace
) -> list[Row]:
    targets = _targets(sites)
    t0, c0 = time.perf_counter(), time.process_time()
    plan = plan_day(day=MONDAY, officers=officers, sites=sites, targets=targets, seed=args.seed)
    secs = [(time.perf_counter() - t0, time.process_time() - c0)]
    t0, c0 = time.perf_counter(), time.process_time()
    base = nearest_neighbour_plan(day=MONDAY, officers=officers, sites=sites, targets=targets)
    base_secs = (time.perf_counter() - t0, time.process_time() - c0)
    pred = base_pred = math.nan
    if args.weeks and name == "jcps":
        plan, more, pred, base_pred = _history_run(name, sites, officers, targets, args)
        secs += more
    rows = [
        _row(
            name,
            "patrol (OR-Tools)",
            plan,
            sites,
            (max(w for w, _ in secs), max(c for _, c in secs)),
            pred,
        ),
        _row(name, "nearest-neighbour loop", base, sites, base_secs, base_pred),
    ]
    o = officers[0]
    t0 = time.perf_counter()
    after = replan(
        plan=plan,
        officer_id=o.id,
        from_lat=o.start_lat + 0.02,
        from_lon=o.start_lon,
        from_minute=612 + 40,
        called_at=612,
        sites=sites,
        targets=targets,
        seed=args.seed + 1,
    )
    rsecs = time.perf_counter() - t0
    print(
        f"[{name}] replan of {o.id} after a call 10:12-10:52: {rsecs:.3f} s (goal <= 1 s: "
        f"{'ok' if rsecs <= 1 else 'MISSED'}); {len(after.routes[o.id].visits)} visits, "
        f"targeted coverage {after.coverage:.3f}",
        flush=True,
    )
    lost_id = officers[len(officers) // 2].id
    t0 = time.perf_counter()
    absorbed, lost = absorb(
        plan=plan, lost_officer_id=lost_id, from_minute=600, sites=sites, targets=targets,
        seed=args.seed + 2,
    )  # fmt: skip
    asecs = time.perf_counter() - t0
    pending = sum(
        1
        for s in officers[len(officers) // 2].site_ids
        for w in next(x for x in sites if x.id == s).windows
        if w.end > 600
    )
    print(
        f"[{name}] absorb: {lost_id} lost at 10:00, {asecs:.3f} s; {pending - len(lost)} of its "
        f"{pending} remaining windows taken by neighbours ({len(lost)} lost, "
        f"{sum(x.required for x in lost)} of them required); targeted coverage "
        f"{plan.coverage:.3f} -> {absorbed.coverage:.3f}",
        flush=True,
    )
    return rows


def _print(rows: list[Row]) -> None:
    head = (
        f"{'district':8} {'method':22} {'max s':>6} {'cpu s':>6} {'targets covered':>17} "
        f"{'req short':>9} {'all win':>7} {'travel min':>10} {'x base':>6} {'visits':>6} "
        f"{'predict':>7} {'x base':>6}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        b = next(x for x in rows if x.district == r.district and x.method.startswith("nearest"))
        cov = f"{r.covered}/{r.targeted} {100 * r.covered / r.targeted:.1f}%"
        print(
            f"{r.district:8} {r.method:22} {r.seconds:6.2f} {r.cpu:6.2f} {cov:>17} "
            f"{r.required_short:9d} {100 * r.all_windows:6.1f}% {r.travel:10.0f} "
            f"{r.travel / b.travel:6.3f} {r.visits:6d} "
            f"{r.predictability:7.3f} {r.predictability / b.predictability:6.3f}"
        )


def _verdicts(rows: list[Row], goals: dict[str, float]) -> None:
    print()
    for d in dict.fromkeys(r.district for r in rows):
        p = next(r for r in rows if r.district == d and r.method.startswith("patrol"))
        b = next(r for r in rows if r.district == d and r.method.startswith("nearest"))
        cov = p.covered / p.targeted
        print(
            f"[{d}] plan {p.seconds:.2f} s wall, {p.cpu:.2f} s CPU (goal <= {goals[d]:g} s: "
            f"{'ok' if p.seconds <= goals[d] else 'MISSED'}); targeted windows covered "
            f"{100 * cov:.1f}% (goal >= 95%: {'ok' if cov >= 0.95 else 'MISSED'}; baseline "
            f"{100 * b.covered / b.targeted:.1f}%); travel {p.travel:.0f} vs {b.travel:.0f} min "
            f"({'less' if p.travel < b.travel else 'NOT less'})"
        )
        if not math.isnan(p.predictability):
            verdict = "lower" if p.predictability < b.predictability else "NOT lower"
            print(
                f"[{d}] predictability {p.predictability:.3f} vs baseline "
                f"{b.predictability:.3f} ({verdict})"
            )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default="jcps,1000")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--weeks", type=int, default=4, help="history for the predictability figure")
    args = p.parse_args()
    rows: list[Row] = []
    goals = {"jcps": 5.0, "1000": 60.0}
    for which in args.only.split(","):
        if which == "jcps":
            folder = next((c for c in CANDIDATES if (c / "JCPS_Merged_Data.csv").is_file()), None)
            if folder is None or not (folder / "schools.csv").is_file():
                print(f"[jcps] skipped: JCPS data not found in {', '.join(map(str, CANDIDATES))}")
                continue
            schools = read_schools(folder / "schools.csv")
            sites = _sites(schools, _jcps_extras(folder))
            k = 30
        else:
            n = int(which)
            schools = synthetic_district(n=n, seed=args.seed)
            rng = np.random.default_rng(args.seed)
            tiers = rng.integers(0, 3, size=n)
            bells = {
                s.id: (*TIERS[t], float(rng.gamma(1.0)))
                for s, t in zip(schools, tiers, strict=True)
            }
            sites, k = _sites(schools, bells), n // 5
            goals[which] = goals.get(which, 60.0)
        officers = _officers(schools, k, args.seed)
        sizes = [len(o.site_ids) for o in officers]
        print(
            f"[{which}] {len(sites)} schools, {len(officers)} officers, zones of "
            f"{min(sizes)}-{max(sizes)} schools",
            file=sys.stderr,
            flush=True,
        )
        rows.extend(bench(which, sites, officers, args))
    if rows:
        _print(rows)
        _verdicts(rows, goals)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
