"""Dispatch surge: every school of a 1,000-school demo district calls for support within 10 s.

Creates its own PostgreSQL database, seeds the demo district (`seed-demo --schools N`), starts
the production layout (`safeops serve --workers N --no-worker`: gunicorn with uvicorn workers,
and `safeops worker`) as subprocesses and drives it over loopback:

- each school's principal files one request (a bearer token each) at its time, spread evenly
  over the window, from enough connections (`--clients`) that no call waits for an earlier
  one (the bench prints how late calls left: a late send would hide the server's queueing);
  a network error or 5xx is retried with the same client key;
- a dispatcher assigns each request's recommended officer at once (409 once officers are busy);
- 60 officers post positions every 5 s throughout.

Prints p50/p99 API latency per call, the server's p99 recommendation time (Server-Timing) and
the counts of lost and duplicated requests and assignments (both must be 0), then compares the
recommendation with an in-process naive Python loop over the officers (a ratio).

    uv run python bench/dispatch_surge.py [--schools 1000] [--window 10] [--workers 2] [--keep-db]
        [--port P] [--http asgi|wsgi]

`--http wsgi` serves HTTP with gunicorn's gthread workers on Django's WSGI handler instead (the
alternative measured in docs/decisions/0005-server.md; the surge makes no WebSocket).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import queue
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
GOAL_RECOMMEND_P99_MS = 50.0
GOAL_CREATE_P99_MS = 250.0
CATEGORIES = ["fight_assault", "intruder_trespass", "person_in_crisis", "medical_assist", "weapon"]

SETUP = """
import json, sys
from django.contrib.auth import get_user_model
from django.db import transaction
from safeops.accounts.tokens import token_create
from safeops.dispatch.models import OfficerStatus
from safeops.schools.models import School
from safeops.staff.models import Assignment, Person
User = get_user_model()
out = {"schools": {}, "officers": []}
with transaction.atomic():
    principals = Assignment.objects.filter(
        person__role="principal", ends_on__isnull=True
    ).select_related("person")
    for a in principals:
        person = a.person
        if person.user_id is None:
            user = User(username=f"bench-principal-{person.pk}")
            user.set_unusable_password()
            user.save()
            Person.objects.filter(pk=person.pk).update(user=user)
            person.user = user
        if str(a.school_id) not in out["schools"]:
            token = token_create(user=person.user, name="bench", actor="system:bench")[1]
            out["schools"][str(a.school_id)] = token
    dispatcher = User.objects.get(username="demo-dispatcher")
    out["dispatcher"] = token_create(user=dispatcher, name="bench", actor="system:bench")[1]
    for s in OfficerStatus.objects.filter(on_duty=True).order_by("person_id"):
        out["officers"].append([s.person_id, s.latitude, s.longitude])
json.dump(out, open(OUT, "w"))
"""


def safeops_bin() -> str:
    found = ROOT / ".venv" / "bin" / "safeops"
    return str(found) if found.exists() else (shutil.which("safeops") or "safeops")


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own console script
        [safeops_bin(), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"safeops {' '.join(args)} failed")
    return done.stdout


def recreate_database(name: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:  # type: ignore[arg-type]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:  # type: ignore[arg-type]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_exists(name: str) -> bool:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:  # type: ignore[arg-type]
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None


def reachable(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2):
            return True
    except OSError:
        return False


def answers_health(port: int) -> bool:
    """Whether a server on this loopback port answers `/healthz` with 200."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        return connection.getresponse().status == 200
    except OSError:
        return False


def cpu_by_process(server_pid: int, worker_pid: int) -> dict[str, float]:
    """CPU seconds (user + system, every thread) so far of the processes sharing the cores:
    the server's processes (gunicorn and its workers), the job worker, PostgreSQL, Redis and
    this bench (read from /proc; a process that ended is not counted)."""
    tick = os.sysconf("SC_CLK_TCK")
    server_pids = {server_pid}
    try:
        children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
        server_pids |= {int(c) for c in children}
    except OSError:
        pass
    totals = {"server": 0.0, "job worker": 0.0, "postgres": 0.0, "redis": 0.0, "bench": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if pid in server_pids:
            totals["server"] += seconds
            # Kernel time and context switches: is a slow run's extra CPU spent switching?
            totals["server system"] = totals.get("server system", 0.0) + int(fields[12]) / tick
            totals["server switches/1000"] = totals.get("server switches/1000", 0.0) + (
                _context_switches(entry) / 1000
            )
            if pid != server_pid:  # each worker process: is the load shared evenly?
                totals[f"server pid {pid}"] = seconds
        elif pid == worker_pid:
            totals["job worker"] += seconds
        elif pid == os.getpid():
            totals["bench"] += seconds
        elif name.startswith("postgres"):
            totals["postgres"] += seconds
        elif name.startswith("redis"):
            totals["redis"] += seconds
    return totals


def _context_switches(proc: Path) -> int:
    """Voluntary and involuntary context switches of every thread of a process so far."""
    total = 0
    try:
        for task in (proc / "task").iterdir():
            for line in (task / "status").read_text().splitlines():
                if "ctxt_switches:" in line:
                    total += int(line.split()[-1])
    except OSError:
        pass
    return total


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    recommend_ms: list[float] = field(default_factory=list)
    send_late_ms: list[float] = field(default_factory=list)
    # (seconds since the surge began, kind, latency ms) per call: where in the surge p99 is set.
    timeline: list[tuple[float, str, float]] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds * 1000)
            self.timeline.append((time.monotonic() - seconds - self.began, kind, seconds * 1000))
            counts = self.statuses.setdefault(kind, {})
            counts[status] = counts.get(status, 0) + 1


class Api:
    """One keep-alive HTTP connection (per thread)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, path: str, token: str, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        data = json.dumps(body)
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Host": "127.0.0.1",
        }
        try:
            self.conn.request("POST", path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, None, {}
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, parsed, dict(response.getheaders())


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else math.nan


def drive(
    port: int,
    setup: dict[str, Any],
    window: float,
    stats: Stats,
    posting_officers: int,
    clients: int,
) -> dict[str, Any]:
    schools = list(setup["schools"].items())
    random.Random(1).shuffle(schools)
    start = time.monotonic() + 0.5
    stats.began = start
    jobs: queue.Queue[tuple[float, str, str] | None] = queue.Queue()
    for i, (school_id, token) in enumerate(schools):
        jobs.put((start + window * i / len(schools), school_id, token))
    created: dict[str, int] = {}
    assigned: list[tuple[int, int]] = []
    results_lock = threading.Lock()
    stop_positions = threading.Event()

    def requester() -> None:
        api = Api(port)
        while True:
            job = jobs.get()
            if job is None:
                return
            at, school_id, token = job
            delay = at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            with stats.lock:  # a late send would hide server queueing (coordinated omission)
                stats.send_late_ms.append(max(0.0, time.monotonic() - at) * 1000)
            body = {
                "school_id": int(school_id),
                "category": CATEGORIES[int(school_id) % len(CATEGORIES)],
                # Each call its own words: the discipline guard reads every text (no cache hits).
                "summary": f"Bench surge call from school {school_id}: SA asks for support",
                "client_key": f"surge-{school_id}",
            }
            for _attempt in range(4):
                t0 = time.perf_counter()
                status, data, headers = api.post("/api/requests", token, body)
                stats.add("create", time.perf_counter() - t0, status)
                if status in (200, 201):
                    break
                time.sleep(0.2)
            else:
                continue
            timing = headers.get("Server-Timing", headers.get("server-timing", ""))
            if "dur=" in timing:
                with stats.lock:
                    stats.recommend_ms.append(float(timing.split("dur=")[1]))
            with results_lock:
                created[school_id] = data["id"]
            for candidate in data["recommended"][:1]:
                t0 = time.perf_counter()
                status, _data, _h = api.post(
                    f"/api/requests/{data['id']}/assign",
                    setup["dispatcher"],
                    {"officer_id": candidate["officer_id"], "idempotency_key": f"a-{data['id']}"},
                )
                stats.add("assign", time.perf_counter() - t0, status)
                if status == 200:
                    with results_lock:
                        assigned.append((data["id"], candidate["officer_id"]))

    def officer(person_id: int, lat: float, lon: float, phase: float) -> None:
        api = Api(port)
        rng = random.Random(person_id)
        next_at = time.monotonic() + phase
        while not stop_positions.is_set():
            delay = next_at - time.monotonic()
            if delay > 0 and stop_positions.wait(delay):
                return
            lat += rng.uniform(-0.001, 0.001)
            lon += rng.uniform(-0.001, 0.001)
            t0 = time.perf_counter()
            status, _d, _h = api.post(
                f"/api/officers/{person_id}/position",
                setup["dispatcher"],
                {"latitude": lat, "longitude": lon, "accuracy_m": 10},
            )
            stats.add("position", time.perf_counter() - t0, status)
            next_at += 5.0

    posting = setup["officers"][:posting_officers]
    position_threads = [
        threading.Thread(target=officer, args=(p, la, lo, 5.0 * i / len(posting)), daemon=True)
        for i, (p, la, lo) in enumerate(posting)
    ]
    workers = [threading.Thread(target=requester, daemon=True) for _ in range(clients)]
    for thread in position_threads + workers:
        thread.start()
    for _ in workers:
        jobs.put(None)
    began = time.monotonic()
    for thread in workers:
        thread.join(timeout=window + 120)
    elapsed = time.monotonic() - start
    stop_positions.set()
    for thread in position_threads:
        thread.join(timeout=10)
    return {
        "created": created,
        "assigned": assigned,
        "elapsed": elapsed,
        "began": began,
    }


def consistency(dbname: str, setup: dict[str, Any], outcome: dict[str, Any]) -> dict[str, int]:
    with psycopg.connect(dbname=dbname, **PG) as conn:  # type: ignore[arg-type]
        rows = conn.execute(
            "SELECT school_id, count(*) FROM dispatch_supportrequest "
            "WHERE client_key LIKE 'surge-%' GROUP BY school_id"
        ).fetchall()
        per_school = {str(school): n for school, n in rows}
        held = conn.execute(
            "SELECT officer_id, count(*) FROM dispatch_supportrequest "
            "WHERE client_key LIKE 'surge-%' AND officer_id IS NOT NULL "
            "AND status NOT IN ('cleared', 'cancelled') GROUP BY officer_id"
        ).fetchall()
        assigned_events = conn.execute(
            "SELECT count(*) FROM dispatch_statusevent e JOIN dispatch_supportrequest r "
            "ON r.id = e.request_id WHERE r.client_key LIKE 'surge-%' "
            "AND e.to_status = 'assigned'"
        ).fetchone()
        load_mismatch = conn.execute(
            "SELECT count(*) FROM dispatch_officerstatus s WHERE s.open_request_count <> "
            "(SELECT count(*) FROM dispatch_supportrequest r WHERE r.officer_id = s.person_id "
            "AND r.status NOT IN ('new', 'cleared', 'cancelled'))"
        ).fetchone()
    schools = set(setup["schools"])
    acknowledged_assignments = len(outcome["assigned"])
    return {
        "schools": len(schools),
        "requests_acknowledged": len(outcome["created"]),
        "requests_lost": sum(1 for s in schools if per_school.get(s, 0) == 0)
        + sum(1 for s in outcome["created"] if per_school.get(s, 0) == 0),
        "requests_duplicated": sum(n - 1 for n in per_school.values() if n > 1),
        "assignments_acknowledged": acknowledged_assignments,
        "assignments_lost": max(0, acknowledged_assignments - sum(n for _o, n in held)),
        "assignments_duplicated": sum(n - 1 for _o, n in held if n > 1)
        + max(0, (assigned_events[0] if assigned_events else 0) - acknowledged_assignments),
        "officer_load_mismatches": load_mismatch[0] if load_mismatch else 0,
    }


def baseline(officers: list[list[float]], calls: int = 2000) -> dict[str, float]:
    """The same ranking in-process: numpy (planning.travel) against a naive Python loop."""
    sys.path.insert(0, str(ROOT / "src"))
    from planning.domain import Locations  # noqa: PLC0415 - after the sys.path insert
    from planning.travel import HaversineTravel  # noqa: PLC0415 - after the sys.path insert

    model = HaversineTravel()
    pts = [(lat, lon) for _p, lat, lon in officers if lat is not None]
    locations = Locations(
        ids=tuple(str(i) for i in range(len(pts))),
        lat=np.array([p[0] for p in pts]),
        lon=np.array([p[1] for p in pts]),
    )
    rng = random.Random(3)
    targets = [
        (38.2 + rng.uniform(-0.15, 0.15), -85.7 + rng.uniform(-0.2, 0.2)) for _ in range(calls)
    ]

    def numpy_rank(lat: float, lon: float) -> int:
        point = Locations(ids=("r",), lat=np.array([lat]), lon=np.array([lon]))
        return int(np.argsort(model.matrix(locations, point)[:, 0], kind="stable")[0])

    def naive_rank(lat: float, lon: float) -> int:
        best, best_eta = -1, math.inf
        per_km = model.minutes_per_km
        for i, (olat, olon) in enumerate(pts):
            p1, p2 = math.radians(olat), math.radians(lat)
            a = (
                math.sin((p2 - p1) / 2) ** 2
                + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon - olon) / 2) ** 2
            )
            eta = model.startup_minutes + per_km * 2 * 6371.0088 * math.asin(math.sqrt(a))
            if eta < best_eta:
                best, best_eta = i, eta
        return best

    timings: dict[str, list[float]] = {"numpy": [], "naive": []}
    for lat, lon in targets:
        for name, fn in (("numpy", numpy_rank), ("naive", naive_rank)):
            t0 = time.perf_counter()
            fn(lat, lon)
            timings[name].append((time.perf_counter() - t0) * 1000)
    agree = sum(numpy_rank(la, lo) == naive_rank(la, lo) for la, lo in targets[:200])
    return {
        "officers": float(len(pts)),
        "numpy_p50_ms": percentile(timings["numpy"], 50),
        "naive_p50_ms": percentile(timings["naive"], 50),
        "agreement": agree / 200,
    }


def print_timeline(stats: Stats) -> None:
    """Calls per second of the surge (by when they were sent): count, p50 and max latency."""
    if os.environ.get("SURGE_TIMELINE"):
        Path(os.environ["SURGE_TIMELINE"]).write_text(json.dumps(stats.timeline))
    seconds = sorted({int(at) for at, _kind, _ms in stats.timeline if at >= 0})
    print("second  " + "".join(f"{kind + ' n/p50/max':>24}" for kind in ("create", "assign")))
    for second in seconds:
        row = f"{second:>6}  "
        for kind in ("create", "assign"):
            values = [ms for at, k, ms in stats.timeline if k == kind and int(at) == second]
            cell = (
                f"{len(values)}/{percentile(values, 50):.0f}/{max(values):.0f}" if values else "-"
            )
            row += f"{cell:>24}"
        print(row)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--window", type=float, default=10.0, help="seconds to file every call")
    parser.add_argument("--officers", type=int, default=60, help="officers posting positions")
    parser.add_argument(
        "--clients",
        type=int,
        default=48,
        help="connections filing requests: enough that every call leaves on schedule",
    )
    parser.add_argument("--db", default="safeops_bench_dispatch")
    parser.add_argument(
        "--keep-db", action="store_true", help="reuse a seeded database (migrated first); keep it"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="server processes (the production setting on 2 cores); above 1, live updates go "
        "through Redis (--redis-url), and without Redis the bench runs one",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument(
        "--http",
        choices=["asgi", "wsgi"],
        default="asgi",
        help="asgi: `safeops serve` (uvicorn workers, production); wsgi: the same gunicorn "
        "configuration with gthread workers on safeops.wsgi (the alternative in "
        "docs/decisions/0005-server.md, measured against it)",
    )
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    args = parser.parse_args()
    if args.workers > 1 and not reachable(args.redis_url):
        print(f"Redis is not reachable at {args.redis_url}: running one server process")
        args.workers = 1

    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
        SECRET_KEY=secrets.token_urlsafe(50),  # a throwaway loopback server
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="safeops.settings.base",
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),  # a throwaway database
    )
    env.pop("REDIS_URL", None)
    if args.workers > 1:
        env["REDIS_URL"] = args.redis_url
    fresh = not (args.keep_db and database_exists(args.db))
    t0 = time.monotonic()
    if fresh:
        recreate_database(args.db)
        run(env, "migrate", "--noinput", "-v0")
        run(env, "seed-demo", "--schools", str(args.schools))
    else:
        run(env, "migrate", "--noinput", "-v0")  # a kept database gets this code's schema
        with psycopg.connect(dbname=args.db, autocommit=True, **PG) as conn:  # type: ignore[arg-type]
            conn.execute(
                "DELETE FROM dispatch_statusevent WHERE request_id IN "
                "(SELECT id FROM dispatch_supportrequest WHERE client_key LIKE 'surge-%')"
            )
            conn.execute("DELETE FROM dispatch_dispatchevent")
            conn.execute("UPDATE dispatch_officerstatus SET current_request_id = NULL")
            conn.execute("DELETE FROM dispatch_supportrequest WHERE client_key LIKE 'surge-%'")
            conn.execute("UPDATE dispatch_officerstatus SET open_request_count = 0")
            conn.execute("DELETE FROM core_job")
            # The last run's tokens and audit entries (a fresh database has neither).
            conn.execute("DELETE FROM accounts_apitoken WHERE name = 'bench'")
            conn.execute(
                "DELETE FROM core_auditentry WHERE model LIKE 'dispatch.%' "
                "OR actor_label LIKE 'bench-%' OR actor_label = 'system:bench'"
            )
            # As a fresh database would be: no dead rows for autovacuum to chase mid-surge.
            conn.execute(
                "VACUUM ANALYZE dispatch_statusevent, dispatch_dispatchevent, "
                "dispatch_officerstatus, dispatch_supportrequest, core_job, core_auditentry, "
                "accounts_apitoken"
            )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "setup.json"
        run(env, "shell", "-c", f"OUT = {str(out)!r}\n" + SETUP)
        setup = json.loads(out.read_text())
    print(
        f"Seeded {len(setup['schools'])} schools with a requester each and "
        f"{len(setup['officers'])} officers on duty in {time.monotonic() - t0:.0f} s"
    )
    port = args.port or free_port()
    # The server's log (one access line per request, as in production) goes to a file: a pipe
    # nobody reads fills up and blocks every request thread that logs.
    server_log = Path(tempfile.mkstemp(prefix="safeops-bench-server-", suffix=".log")[1])
    # The production layout: gunicorn's server processes, and the job worker on its own.
    serve = [safeops_bin(), "serve", "--port", str(port), "--workers", str(args.workers)]
    if args.http == "wsgi":
        serve = [
            *(sys.executable, "-m", "gunicorn", "--config", "python:safeops.gunicorn_conf"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)),
            *("--worker-class", "gthread", "--threads", "8", "safeops.wsgi:application"),
        ]
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [*serve, "--no-worker"] if args.http == "asgi" else serve,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=server_log.open("w"),
    )
    jobs = subprocess.Popen(  # noqa: S603 - our own console script
        [safeops_bin(), "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 300  # a busy machine takes a while to import Django
        while not answers_health(port):
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                server.wait(timeout=30)
                sys.stderr.write(server_log.read_text()[-5000:])
                raise SystemExit("the server did not start")
            time.sleep(0.3)
        time.sleep(2)  # every server process has started, not only the first to answer
        stats = Stats()
        cpu_before = cpu_by_process(server.pid, jobs.pid)
        outcome = drive(port, setup, args.window, stats, args.officers, args.clients)
        cpu_after = cpu_by_process(server.pid, jobs.pid)
        cpu_used = {k: cpu_after[k] - cpu_before.get(k, 0.0) for k in cpu_after}
    finally:
        for process in (server, jobs):
            process.terminate()
        for process in (server, jobs):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        server_log.unlink(missing_ok=True)
    checks = consistency(args.db, setup, outcome)
    base = baseline(setup["officers"])
    if not args.keep_db:
        drop_database(args.db)

    print(
        f"\nFiled {checks['requests_acknowledged']}/{checks['schools']} requests in "
        f"{outcome['elapsed']:.1f} s (window {args.window:.0f} s); "
        f"{args.officers} officers posting every 5 s; {args.workers} server process(es) "
        f"({'uvicorn' if args.http == 'asgi' else 'gthread WSGI'}) on "
        f"PostgreSQL{' with Redis live updates' if args.workers > 1 else ''}"
    )
    print(
        f"calls left on schedule: p99 {percentile(stats.send_late_ms, 99):.1f} ms late, "
        f"max {max(stats.send_late_ms, default=0.0):.1f} ms ({args.clients} connections)"
    )
    print(f"{'call':<10}{'n':>7}{'p50 ms':>10}{'p99 ms':>10}  statuses")
    for kind in ("create", "assign", "position"):
        values = stats.latencies.get(kind, [])
        print(
            f"{kind:<10}{len(values):>7}{percentile(values, 50):>10.1f}"
            f"{percentile(values, 99):>10.1f}  {stats.statuses.get(kind, {})}"
        )
    print_timeline(stats)
    print(
        f"CPU seconds during the surge ({outcome['elapsed']:.1f} s, 2 cores): "
        + ", ".join(f"{k} {v:.1f}" for k, v in cpu_used.items())
        + f"; load average {os.getloadavg()[0]:.1f}"
    )
    rec_p99 = percentile(stats.recommend_ms, 99)
    create_p99 = percentile(stats.latencies.get("create", []), 99)
    print(
        f"recommendation (server, {int(base['officers'])} officers on duty): "
        f"p50 {percentile(stats.recommend_ms, 50):.2f} ms, p99 {rec_p99:.2f} ms"
    )
    print(
        f"in-process baseline per call: numpy {base['numpy_p50_ms'] * 1000:.0f} µs, "
        f"naive Python loop {base['naive_p50_ms'] * 1000:.0f} µs → "
        f"{base['naive_p50_ms'] / base['numpy_p50_ms']:.1f}× "
        f"(same nearest officer in {base['agreement']:.0%} of calls)"
    )
    print(
        f"lost requests {checks['requests_lost']}, duplicated requests "
        f"{checks['requests_duplicated']}, lost assignments {checks['assignments_lost']}, "
        f"duplicated assignments {checks['assignments_duplicated']} "
        f"({checks['assignments_acknowledged']} assigned; officer load mismatches "
        f"{checks['officer_load_mismatches']})"
    )
    server_errors = sum(
        count
        for counts in stats.statuses.values()
        for status, count in counts.items()
        if status >= 500
    )
    ok_counts = not server_errors and not any(
        checks[k]
        for k in (
            "requests_lost",
            "requests_duplicated",
            "assignments_lost",
            "assignments_duplicated",
            "officer_load_mismatches",
        )
    )
    print(
        f"goals: recommendation p99 < {GOAL_RECOMMEND_P99_MS:.0f} ms "
        f"{'met' if rec_p99 < GOAL_RECOMMEND_P99_MS else 'MISSED'}; creation p99 < "
        f"{GOAL_CREATE_P99_MS:.0f} ms {'met' if create_p99 < GOAL_CREATE_P99_MS else 'MISSED'}; "
        f"lost/duplicated 0 and server errors 0 ({server_errors}) "
        f"{'met' if ok_counts else 'MISSED'}"
    )
    return 0 if ok_counts else 1


if __name__ == "__main__":
    sys.exit(main())
