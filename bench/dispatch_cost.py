"""Dispatch cost: CPU, queries and commits per call, independent of the machine's load.

The dispatch surge (bench/dispatch_surge.py) saturates two cores in its first phase, so its
creation latency follows the CPU each call costs. Latency on a shared machine says little; this
bench measures what a call costs instead. It seeds a PostgreSQL demo district (as the surge
does, smaller), loads the production ASGI application (`safeops.asgi.application`) in this
process and drives it directly (no socket): every principal files one request with a bearer
token, and the dispatcher assigns its first recommended officer. Per kind of call it prints the
process CPU per call (`time.process_time`: every thread of this process, the server's own part
of a call; PostgreSQL's and Redis's CPU is not in it), the queries and the commits (outermost
transactions and writes outside one).

The baseline, in the same run, passes taken in turn: "before" runs the same calls with Django's
stock ASGI handler (a new thread per request), Django's own Redis cache backend and the access
cache off (`ACCESS_CACHE=false`: every call reads its token and scope from the database),
"after" with this code's handler and settings. A third kind of call, an
authenticated `GET /api/schools/<id>` (the principal's second call), shows the stack's floor.
Ratios, not milliseconds, are what to compare between machines; each figure is the least of
`--rounds` passes (the least disturbed by other work on the machine).

    uv run python bench/dispatch_cost.py [--schools 120] [--db safeops_bench_cost] [--keep-db]
        [--redis-url redis://127.0.0.1:6379/5] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from dispatch_surge import (  # noqa: E402 - after the sys.path insert
    PG,
    SETUP,
    database_exists,
    reachable,
    recreate_database,
    run,
)

CATEGORIES = ["fight_assault", "intruder_trespass", "person_in_crisis", "medical_assist", "weapon"]


@dataclass
class Counts:
    """Queries and commits seen by every database connection of this process."""

    queries: int = 0
    commits: int = 0
    trace: list[str] | None = None
    by_kind: dict[str, list[float]] = field(default_factory=dict)


COUNTS = Counts()


def count_database_work() -> None:
    """Count every query and commit (any thread, any connection) of this process."""
    from django.db.backends.base.base import BaseDatabaseWrapper  # noqa: PLC0415
    from django.db.backends.utils import CursorWrapper  # noqa: PLC0415

    execute = CursorWrapper._execute_with_wrappers

    def counted(self: Any, sql: str, params: Any, many: bool, executor: Any) -> Any:
        COUNTS.queries += 1
        if COUNTS.trace is not None:
            COUNTS.trace.append(" ".join(sql.split())[:160])
        if not self.db.in_atomic_block and sql.lstrip()[:6].upper() in (
            "INSERT",
            "UPDATE",
            "DELETE",
        ):
            COUNTS.commits += 1  # autocommit: the statement is its own transaction
        return execute(self, sql, params, many, executor)

    commit = BaseDatabaseWrapper.commit

    def counted_commit(self: Any) -> None:
        COUNTS.commits += 1
        if COUNTS.trace is not None:
            COUNTS.trace.append("COMMIT")
        commit(self)

    CursorWrapper._execute_with_wrappers = counted  # type: ignore[method-assign]
    BaseDatabaseWrapper.commit = counted_commit  # type: ignore[method-assign]


class Asgi:
    """Calls the ASGI application as the server would, one at a time."""

    def __init__(self, application: Any) -> None:
        self.application = application
        self.loop = asyncio.new_event_loop()

    def call(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
        return self.loop.run_until_complete(self._call(method, path, token, body))

    async def _call(self, method: str, path: str, token: str, body: Any) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else b""
        headers = [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(data)).encode()),
        ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent = False
        done = asyncio.Event()

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        status = 0
        chunks: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    done.set()

        await self.application(scope, receive, send)
        raw = b"".join(chunks)
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None


@dataclass
class Measured:
    calls: int
    cpu_ms: float
    queries: float
    commits: float
    statuses: dict[int, int]


def measure(calls: list[Callable[[], int]]) -> Measured:
    statuses: dict[int, int] = {}
    q0, c0 = COUNTS.queries, COUNTS.commits
    t0 = time.process_time()
    for call in calls:
        status = call()
        statuses[status] = statuses.get(status, 0) + 1
    cpu = time.process_time() - t0
    n = max(1, len(calls))
    return Measured(
        len(calls),
        cpu * 1000 / n,
        (COUNTS.queries - q0) / n,
        (COUNTS.commits - c0) / n,
        statuses,
    )


def reset_requests(dbname: str, *, tokens: bool = False) -> None:
    with psycopg.connect(dbname=dbname, autocommit=True, **PG) as conn:  # type: ignore[arg-type]
        conn.execute(
            "DELETE FROM dispatch_statusevent WHERE request_id IN "
            "(SELECT id FROM dispatch_supportrequest WHERE client_key LIKE 'cost-%')"
        )
        conn.execute("DELETE FROM dispatch_dispatchevent")
        conn.execute("UPDATE dispatch_officerstatus SET current_request_id = NULL")
        conn.execute("DELETE FROM dispatch_supportrequest WHERE client_key LIKE 'cost-%'")
        conn.execute("UPDATE dispatch_officerstatus SET open_request_count = 0")
        conn.execute("DELETE FROM core_job")
        if tokens:
            conn.execute("DELETE FROM accounts_apitoken WHERE name = 'bench'")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=120)
    parser.add_argument("--db", default="safeops_bench_cost")
    parser.add_argument("--keep-db", action="store_true", help="reuse a seeded database; keep it")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/5",
        help="as the surge's server processes (skipped if not reachable; '' for none)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="passes over the schools per mode")
    parser.add_argument("--trace", action="store_true", help="print one call's SQL per kind")
    parser.add_argument(
        "--profile", action="store_true", help="print a yappi profile (CPU) of the creates"
    )
    args = parser.parse_args()

    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="safeops.settings.base",
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
    )
    env.pop("REDIS_URL", None)
    if args.redis_url and reachable(args.redis_url):
        env["REDIS_URL"] = args.redis_url
    if not (args.keep_db and database_exists(args.db)):
        recreate_database(args.db)
        run(env, "migrate", "--noinput", "-v0")
        run(env, "seed-demo", "--schools", str(args.schools))
    else:
        run(env, "migrate", "--noinput", "-v0")
    reset_requests(args.db, tokens=True)
    os.environ.update(env)
    if "REDIS_URL" not in env:
        os.environ.pop("REDIS_URL", None)

    from safeops.asgi import application  # noqa: PLC0415 - after the environment is set

    setup_globals: dict[str, Any] = {"OUT": "/dev/null"}
    out_path = Path(f"/tmp/dispatch-cost-{os.getpid()}.json")  # noqa: S108 - our own file
    setup_globals["OUT"] = str(out_path)
    exec(SETUP, setup_globals)  # noqa: S102 - the surge's own setup code
    setup = json.loads(out_path.read_text())
    out_path.unlink()
    count_database_work()

    from django.conf import settings  # noqa: PLC0415
    from django.test import override_settings  # noqa: PLC0415

    from safeops.core.caches import clear_process_caches  # noqa: PLC0415

    asgi = Asgi(application)
    schools = sorted(setup["schools"].items(), key=lambda item: int(item[0]))
    dispatcher = setup["dispatcher"]
    serial = iter(range(10**9))

    def create(school_id: str, token: str, sink: list[Any]) -> Callable[[], int]:
        def call() -> int:
            status, body = asgi.call(
                "POST",
                "/api/requests",
                token,
                {
                    "school_id": int(school_id),
                    "category": CATEGORIES[int(school_id) % len(CATEGORIES)],
                    "summary": "Bench cost call",
                    "client_key": f"cost-{school_id}-{next(serial)}",
                },
            )
            sink.append(body)
            return status

        return call

    def assign(body: Any) -> Callable[[], int]:
        def call() -> int:
            first = (body or {}).get("recommended") or [{"officer_id": 0}]
            status, _ = asgi.call(
                "POST",
                f"/api/requests/{body['id']}/assign",
                dispatcher,
                {"officer_id": first[0]["officer_id"], "idempotency_key": f"a-{body['id']}"},
            )
            return status

        return call

    def read(school_id: str, token: str) -> Callable[[], int]:
        return lambda: asgi.call("GET", f"/api/schools/{school_id}", token)[0]

    def one_pass(*, profile: bool = False) -> dict[str, Measured]:
        reset_requests(args.db)
        clear_process_caches()
        bodies: list[Any] = []
        # As in the surge: each principal's first call is its create (its token and scope are
        # new to the process); the dispatcher's token serves every assignment.
        if profile:
            profiler.start()
        result = {"create": measure([create(s, t, bodies) for s, t in schools])}
        if profile:
            profiler.stop()
        result["assign"] = measure([assign(b) for b in bodies if b and "id" in b])
        result["read"] = measure([read(s, t) for s, t in schools])
        return result

    # The server's access log goes nowhere (the surge writes it to a file): still formatted.
    saved_stderr = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    one_pass()  # warm up: imports, first connections, compiled templates
    # Before: Django's own Redis cache backend (a connection pool per request context) and no
    # access cache; after: this code's settings.
    before_caches = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
        }
    }
    modes: dict[str, dict[str, Any]] = {
        "before": {"ACCESS_CACHE": False}
        | ({"CACHES": before_caches} if "REDIS_URL" in env else {}),
        "after": {},
    }
    results: dict[str, list[dict[str, Measured]]] = {mode: [] for mode in modes}
    profiler: Any = None
    if args.profile:
        import yappi  # noqa: PLC0415 - optional

        yappi.set_clock_type("cpu")
        profiler = yappi
    from django.core.handlers.asgi import ASGIHandler  # noqa: PLC0415

    handlers = {"before": ASGIHandler(), "after": application.application_mapping["http"]}
    for _round in range(args.rounds):
        for mode, overrides in modes.items():
            application.application_mapping["http"] = handlers[mode]
            with override_settings(**overrides):
                results[mode].append(one_pass(profile=args.profile and mode == "after"))

    os.dup2(saved_stderr, 2)
    reset_requests(args.db)  # leave no assigned request behind (a surge may reuse the database)
    if args.trace:
        reset_requests(args.db)
        bodies: list[Any] = []
        for kind, call in (
            ("read", read(*schools[0])),
            ("create", create(*schools[0], bodies)),
            ("assign", lambda: assign(bodies[0])()),
        ):
            COUNTS.trace = []
            status = call()
            print(f"-- {kind} ({status}):", *COUNTS.trace, sep="\n   ")
        COUNTS.trace = None
    print(
        f"{len(schools)} schools, {len(setup['officers'])} officers on duty, "
        f"{args.rounds} round(s) per mode; PostgreSQL"
        f"{', Redis ' + env['REDIS_URL'] if 'REDIS_URL' in env else ', no Redis'}"
    )
    print(f"{'mode':<11}{'call':<8}{'CPU ms':>8}{'queries':>9}{'commits':>9}  statuses")
    best: dict[tuple[str, str], float] = {}
    for mode, passes in results.items():
        for kind in ("create", "assign", "read"):
            cpu = min(p[kind].cpu_ms for p in passes)  # the least disturbed pass
            best[(mode, kind)] = cpu
            last = passes[-1][kind]
            print(
                f"{mode:<11}{kind:<8}{cpu:>8.2f}{last.queries:>9.2f}{last.commits:>9.2f}"
                f"  {last.statuses}"
            )
    for kind in ("create", "assign", "read"):
        print(f"{kind}: CPU after / before = {best[('after', kind)] / best[('before', kind)]:.2f}")
    reset_requests(args.db)
    if profiler is not None:
        stats = profiler.get_func_stats()
        stats.sort("ttot", "desc")
        stats.print_all(columns={0: ("name", 90), 1: ("ncall", 8), 3: ("ttot", 8), 4: ("tavg", 8)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
