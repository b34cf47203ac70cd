"""``safeops plan``: design SSO zones and size the officer force.

Usage::

    safeops plan --schools FILE [--officers K | --target-minutes T --percentile 90]
                 [--min-size 3 --max-size 7] [--dedicated LEVEL_OR_IDS]
                 [--travel haversine|osrm:URL|matrix:FILE] [--seed N] --out DIR

Writes ``DIR/zones.geojson``, ``DIR/assignments.csv``, ``DIR/summary.json``,
``DIR/report.html`` and, with a target, ``DIR/staffing.csv``.

Exit status: 0 on success; 1 when no feasible officer count meets the target
(files are still written for the largest count tried); 2 on bad input or
constraints that cannot be met, with a message that says what to change.
Also runs as ``python -m planning.cli``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from planning.demand import DEFAULT_MEAN_SERVICE_MINUTES
from planning.domain import InfeasibleError, InputError, PlanningError, School
from planning.io.outputs import (
    staffing_answer,
    write_assignments,
    write_staffing,
    write_summary,
    write_zones_geojson,
)
from planning.io.report import write_report
from planning.io.schools import read_schools
from planning.scenario import design
from planning.staffing import ResponseMethod
from planning.travel import travel_model_from_spec
from planning.zoning.exact import DEFAULT_NODE_LIMIT
from planning.zoning.planner import DEFAULT_BALANCE

__all__ = ["build_parser", "main", "resolve_dedicated"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (prog ``safeops plan``)."""
    p = argparse.ArgumentParser(
        prog="safeops plan",
        description="Design School Safety Officer zones aligned with high schools, "
        "and size the officer force.",
    )
    p.add_argument("--schools", required=True, type=Path, help="schools CSV or GeoJSON")
    count = p.add_mutually_exclusive_group(required=True)
    count.add_argument("--officers", type=int, metavar="K", help="officers (dedicated included)")
    count.add_argument(
        "--target-minutes",
        type=float,
        metavar="T",
        help="find the fewest officers reaching PERCENTILE%% of calls within T minutes",
    )
    p.add_argument("--percentile", type=float, default=90.0, help="target percentile (90)")
    p.add_argument("--min-size", type=int, default=3, help="fewest schools per zone (3)")
    p.add_argument("--max-size", type=int, default=7, help="most schools per zone (7)")
    p.add_argument(
        "--dedicated",
        default="",
        metavar="LEVEL_OR_IDS",
        help="comma-separated levels (e.g. alternative) or school ids/names that get "
        "their own officer",
    )
    p.add_argument(
        "--travel",
        default="haversine",
        help="haversine (default), osrm:URL or matrix:FILE",
    )
    p.add_argument("--seed", type=int, default=0, help="seed for the heuristic (0)")
    p.add_argument("--out", required=True, type=Path, help="output directory")
    p.add_argument("--unaligned", action="store_true", help="zones free of feeder lines")
    p.add_argument(
        "--no-merge", action="store_true", help="fail instead of merging small high-school areas"
    )
    p.add_argument(
        "--balance",
        default=f"{DEFAULT_BALANCE[0]:g},{DEFAULT_BALANCE[1]:g}",
        metavar="LOW,HIGH",
        help="calls per officer allowed, as multiples of the mean (default %(default)s)",
    )
    p.add_argument(
        "--service-minutes",
        type=float,
        default=DEFAULT_MEAN_SERVICE_MINUTES,
        help="mean busy minutes per call (%(default)s; an assumption to calibrate)",
    )
    p.add_argument(
        "--method",
        choices=("auto", "exact", "heuristic"),
        default="auto",
        help="zone solver (auto: exact per area)",
    )
    p.add_argument(
        "--response-method",
        choices=("auto", "exact", "approximation", "simulation"),
        default="auto",
        help="response model method (auto)",
    )
    p.add_argument(
        "--equity",
        type=float,
        default=0.0,
        help="0 weighs every call the same (default), 1 every school, between a blend",
    )
    p.add_argument(
        "--equity-curve",
        action="store_true",
        help="also plan the count at equity 0, 0.25, 0.5, 0.75 and 1 (mean vs worst school)",
    )
    p.add_argument(
        "--node-limit",
        type=int,
        default=DEFAULT_NODE_LIMIT,
        help=f"branch-and-bound nodes per MILP, the work limit ({DEFAULT_NODE_LIMIT})",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=600.0,
        help="safety stop, seconds per solve (600); a plan it cuts short may differ between runs",
    )
    return p


def resolve_dedicated(spec: str, schools: Sequence[School]) -> tuple[str, ...]:
    """School ids named by ``--dedicated``: levels, ids or exact names."""
    ids: list[str] = []
    levels = {s.level for s in schools}
    by_id = {s.id for s in schools}
    by_name = {s.name: s.id for s in schools}
    for token in (t.strip() for t in spec.split(",")):
        if not token:
            continue
        if token.lower() in levels:
            ids.extend(s.id for s in schools if s.level == token.lower())
        elif token in by_id:
            ids.append(token)
        elif token in by_name:
            ids.append(by_name[token])
        else:
            raise InputError(
                f"{token!r} is neither a level ({', '.join(sorted(levels))}) nor a school "
                "id or name in the file; fix --dedicated",
                field="--dedicated",
            )
    return tuple(dict.fromkeys(ids))


def _balance(text: str) -> tuple[float, float]:
    try:
        lo, hi = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError(
            f"--balance must be LOW,HIGH (e.g. 0,3), got {text!r}", field="--balance"
        ) from None
    return lo, hi


def _run(args: argparse.Namespace) -> int:
    if args.officers is not None and args.officers < 1:
        raise InfeasibleError("--officers must be at least 1")
    if not 0.0 < args.percentile < 100.0:
        raise InputError("--percentile must lie between 0 and 100 (e.g. 90)", field="--percentile")
    if args.target_minutes is not None and not args.target_minutes > 0.0:
        raise InputError("--target-minutes must be positive", field="--target-minutes")
    if not args.service_minutes > 0.0:
        raise InputError("--service-minutes must be positive", field="--service-minutes")
    schools = read_schools(args.schools)
    travel = travel_model_from_spec(args.travel)
    dedicated = resolve_dedicated(args.dedicated, schools)
    balance = _balance(args.balance)
    out = design(
        schools=schools,
        travel=travel,
        officers=args.officers,
        target_minutes=args.target_minutes,
        percentile=args.percentile,
        min_size=args.min_size,
        max_size=args.max_size,
        dedicated=dedicated,
        aligned=not args.unaligned,
        allow_merge=not args.no_merge,
        balance=balance,
        method=args.method,
        response_method=cast(ResponseMethod, args.response_method),
        mean_service_minutes=args.service_minutes,
        time_limit=args.time_limit,
        node_limit=args.node_limit,
        equity=args.equity,
        with_equity_curve=args.equity_curve,
        seed=args.seed,
        terminal_progress=True,
        parameters={
            "schools_file": str(args.schools),
            "min_size": args.min_size,
            "max_size": args.max_size,
            "dedicated": list(dedicated),
            "travel": args.travel,
            "balance": list(balance),
            "mean_service_minutes": args.service_minutes,
            "method": args.method,
            "response_method": args.response_method,
            "equity": args.equity,
            "seed": args.seed,
        },
    )
    for m in out.plan.merges:
        print(
            f"merged area {m.area} ({m.schools} schools) into {m.into} ({m.reason})",
            file=sys.stderr,
        )
    plan, response, points, found = out.plan, out.response, out.staffing, out.smallest_officers
    if response is None:
        raise InfeasibleError("the response model gave no result")
    status = 0
    if args.target_minutes is not None and found is None:
        status = 1
        print(
            f"no feasible officer count ({plan.minimum_officers}-{plan.maximum_officers}) "
            f"reaches {args.percentile:g}% of calls within {args.target_minutes:g} minutes; "
            f"writing the plan for {plan.officers} officers",
            file=sys.stderr,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    write_zones_geojson(args.out / "zones.geojson", out)
    write_assignments(args.out / "assignments.csv", out)
    write_summary(args.out / "summary.json", out)
    if args.target_minutes is not None:
        write_staffing(args.out / "staffing.csv", points)
    write_report(args.out / "report.html", out)
    names = {s.id: s.name for s in out.schools}
    if plan.school_travel is not None:
        st = plan.school_travel
        print(
            f"worst-served school {names[st.worst_school_id]}: "
            f"{st.worst_school_minutes:.1f} min from its post; "
            f"schools p10-p90 {st.p10_minutes:.1f}-{st.p90_minutes:.1f} min"
        )
    for e in out.equity_curve:
        print(
            f"equity {e.equity:g}: call-weighted {e.call_weighted_minutes:.2f} min, "
            f"school mean {e.school_mean_minutes:.2f} min, "
            f"worst {names[e.worst_school_id]} {e.worst_school_minutes:.1f} min"
        )
    print(
        f"{plan.officers} officers, {len(plan.zones)} zones; objective "
        f"{plan.objective:.3f} min, gap on travel time {100 * plan.gap:.3f}% ({plan.solver}); "
        f"response mean {response.mean_minutes:.2f} min, p90 {response.p90_minutes:.2f} min"
    )
    if args.target_minutes is not None:
        print(staffing_answer(out))
    print(f"wrote {args.out}")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``safeops plan``; return the exit status (see module docstring)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        return _run(args)
    except PlanningError as exc:
        print(f"safeops plan: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"safeops plan: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
