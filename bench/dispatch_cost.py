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

The modes, passes taken in turn in one run: "before" runs the same calls with Django's stock
ASGI handler (a new thread per request), Django's own Redis cache backend and the access cache
off (`ACCESS_CACHE=false`: every call reads its token and scope from the database); "asgi" with
this code's ASGI application and settings (what the uvicorn workers serve); "wsgi" through
Django's WSGI handler (`safeops.wsgi.application`, what a gthread worker would serve: no event
loop, no thread trips), same settings. With `--servers` two more, over loopback: "uvicorn" and
"gthread", one gunicorn worker process each (`safeops.gunicorn_conf`, the second with
`--worker-class gthread --threads 8` on the WSGI application), their CPU read from /proc
(utime + stime of the worker process: the server's HTTP parsing and event loop included, the
client's CPU not); `--concurrency N` sends N calls at once to them. A third kind of call, an
authenticated `GET /api/schools/<id>` (the principal's second call), shows the stack's floor.
Ratios, not milliseconds, are what to compare between machines; each figure is the least of
`--rounds` passes (the least disturbed by other work on the machine).

    uv run python bench/dispatch_cost.py [--schools 120] [--db safeops_bench_cost] [--keep-db]
        [--redis-url redis://127.0.0.1:6379/5] [--rounds 2] [--servers [--concurrency N]]
        [--profile [before|asgi|wsgi]] [--trace]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import secrets
import subprocess
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
    answers_health,
    database_exists,
    free_port,
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


class Wsgi:
    """Calls the WSGI application as a WSGI server would (gunicorn's gthread worker calls it on
    one of its threads): no event loop, no thread trips."""

    def __init__(self, application: Any) -> None:
        self.application = application

    def call(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
        import io  # noqa: PLC0415

        data = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "REMOTE_PORT": "50000",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        started: list[str] = []

        def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            started.append(status)
            return lambda chunk: None

        result = self.application(environ, start_response)
        try:
            raw = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status = int(started[0].split()[0]) if started else 0
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None


class Http:
    """Calls a server over loopback on one kept-alive connection, one call at a time; its CPU
    is read from /proc for the server's worker process."""

    def __init__(self, port: int) -> None:
        import threading  # noqa: PLC0415

        self.port = port
        self.local = threading.local()  # a connection per calling thread (--concurrency)

    @property
    def connection(self) -> Any:
        import http.client  # noqa: PLC0415

        if not hasattr(self.local, "connection"):
            self.local.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        return self.local.connection

    def call(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Host": "127.0.0.1", "Authorization": f"Bearer {token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (ConnectionError, OSError):  # the server closed the idle connection: again
            self.connection.close()
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, None


def process_cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of these processes (every thread), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def server_workers(arbiter: int) -> list[int]:
    children = Path(f"/proc/{arbiter}/task/{arbiter}/children").read_text().split()
    return [int(pid) for pid in children]


@dataclass
class Measured:
    calls: int
    cpu_ms: float
    queries: float
    commits: float
    statuses: dict[int, int]


def measure(
    calls: list[Callable[[], int]],
    clock: Callable[[], float] = time.process_time,
    concurrency: int = 1,
) -> Measured:
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    statuses: dict[int, int] = {}
    q0, c0 = COUNTS.queries, COUNTS.commits
    t0 = clock()
    if concurrency > 1:
        with ThreadPoolExecutor(concurrency) as pool:
            done = list(pool.map(lambda call: call(), calls))
    else:
        done = [call() for call in calls]
    for status in done:
        statuses[status] = statuses.get(status, 0) + 1
    cpu = clock() - t0
    n = max(1, len(calls))
    return Measured(
        len(calls),
        cpu * 1000 / n,
        (COUNTS.queries - q0) / n,
        (COUNTS.commits - c0) / n,
        statuses,
    )


def new_access_generation(dbname: str) -> None:
    """What server processes keep of tokens and scopes is void (decisions/0019)."""
    with psycopg.connect(dbname=dbname, autocommit=True, **PG) as conn:  # type: ignore[arg-type]
        conn.execute("UPDATE core_accessgeneration SET value = md5(random()::text)")


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 120
    while not answers_health(port):
        if time.monotonic() > deadline:
            raise SystemExit(f"no server answered on port {port}")
        time.sleep(0.3)


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
    parser.add_argument(
        "--servers",
        action="store_true",
        help="also drive the two servers over loopback (one gunicorn process each: uvicorn "
        "worker on the ASGI application, gthread worker on the WSGI one), their CPU from /proc",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=1,
        help="with --servers: calls sent at once, each on its own connection (default 1)",
    )
    parser.add_argument("--trace", action="store_true", help="print one call's SQL per kind")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="asgi",
        choices=["before", "asgi", "wsgi"],
        help="print a yappi profile (CPU) of one mode's creates (default asgi)",
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
    from safeops.wsgi import application as wsgi_application  # noqa: PLC0415

    asgi = Asgi(application)
    wsgi = Wsgi(wsgi_application)
    driver: Asgi | Wsgi | Http = asgi  # the server the calls go through (the mode's)
    schools = sorted(setup["schools"].items(), key=lambda item: int(item[0]))
    dispatcher = setup["dispatcher"]
    serial = iter(range(10**9))

    def create(school_id: str, token: str, sink: list[Any]) -> Callable[[], int]:
        def call() -> int:
            status, body = driver.call(
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
            status, _ = driver.call(
                "POST",
                f"/api/requests/{body['id']}/assign",
                dispatcher,
                {"officer_id": first[0]["officer_id"], "idempotency_key": f"a-{body['id']}"},
            )
            return status

        return call

    def read(school_id: str, token: str) -> Callable[[], int]:
        return lambda: driver.call("GET", f"/api/schools/{school_id}", token)[0]

    def one_pass(
        *,
        profile: bool = False,
        clock: Callable[[], float] = time.process_time,
        concurrency: int = 1,
    ) -> dict[str, Measured]:
        reset_requests(args.db)
        clear_process_caches()
        bodies: list[Any] = []
        # As in the surge: each principal's first call is its create (its token and scope are
        # new to the process); the dispatcher's token serves every assignment.
        if profile:
            profiler.start()
        result = {"create": measure([create(s, t, bodies) for s, t in schools], clock, concurrency)}
        if profile:
            profiler.stop()
        result["assign"] = measure(
            [assign(b) for b in bodies if b and "id" in b], clock, concurrency
        )
        result["read"] = measure([read(s, t) for s, t in schools], clock, concurrency)
        return result

    # The server's access log goes nowhere (the surge writes it to a file): still formatted.
    saved_stderr = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        for driver in (wsgi, asgi):  # noqa: B007 - the calls read it
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
            "asgi": {},
            "wsgi": {},
        }
        results: dict[str, list[dict[str, Measured]]] = {mode: [] for mode in modes}
        profiler: Any = None
        servers: dict[str, subprocess.Popen[bytes]] = {}
        if args.profile:
            import yappi  # noqa: PLC0415 - optional

            yappi.set_clock_type("cpu")
            profiler = yappi
        from django.core.handlers.asgi import ASGIHandler  # noqa: PLC0415

        # before: Django's stock ASGI handler; asgi: this code's ASGI application (what uvicorn
        # workers serve); wsgi: Django's WSGI handler (what gthread workers serve), same settings.
        handlers = {"before": ASGIHandler(), "asgi": application.application_mapping["http"]}
        drivers: dict[str, Asgi | Wsgi | Http] = {"before": asgi, "asgi": asgi, "wsgi": wsgi}
        clocks: dict[str, Callable[[], float]] = {}
        if args.servers:
            # The two production servers, one worker process each, on this database and Redis.
            gunicorn = [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:safeops.gunicorn_conf",
            ]
            commands = {
                "uvicorn": [*gunicorn, "--workers", "1"],
                "gthread": [
                    *gunicorn,
                    "--workers",
                    "1",
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "8",
                    "safeops.wsgi:application",
                ],
            }
            server_env = {**env, "SAFEOPS_SERVE_JOBS": "0", "SERVER_KEEPALIVE": "600"}
            for name, command in commands.items():
                port = free_port()
                servers[name] = subprocess.Popen(  # noqa: S603 - our own interpreter
                    [*command, "--bind", f"127.0.0.1:{port}"],
                    env=server_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                wait_for(port)
                workers = server_workers(servers[name].pid)
                drivers[name] = Http(port)
                clocks[name] = functools.partial(process_cpu_seconds, workers)
                modes[name] = {}
                results[name] = []
                driver = drivers[name]
                one_pass()  # warm up the server process
        for _round in range(args.rounds):
            for mode, overrides in modes.items():
                if mode in handlers:
                    application.application_mapping["http"] = handlers[mode]
                driver = drivers[mode]
                if mode in servers:
                    new_access_generation(args.db)  # the principals' tokens new to the server
                with override_settings(**overrides):
                    results[mode].append(
                        one_pass(
                            profile=args.profile == mode,
                            clock=clocks.get(mode, time.process_time),
                            concurrency=args.concurrency if mode in servers else 1,
                        )
                    )
    finally:
        os.dup2(saved_stderr, 2)
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)

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
        print(
            f"{kind}: CPU asgi / before = {best[('asgi', kind)] / best[('before', kind)]:.2f}, "
            f"wsgi / asgi = {best[('wsgi', kind)] / best[('asgi', kind)]:.2f}"
            + (
                f", gthread / uvicorn = {best[('gthread', kind)] / best[('uvicorn', kind)]:.2f}"
                if servers
                else ""
            )
        )
    reset_requests(args.db)
    if profiler is not None:
        stats = profiler.get_func_stats()
        stats.sort(os.environ.get("PROFILE_SORT", "ttot"), "desc")  # tsub: own time
        stats.print_all(columns={0: ("name", 90), 1: ("ncall", 8), 2: ("tsub", 8), 3: ("ttot", 8)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
