"""The server configuration: gunicorn's command line, the uvicorn worker's settings, and the
lifespan that runs background jobs under `safeops serve`."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from django.core.management import call_command

from safeops.core import lifespan as lifespan_module
from safeops.core.management.commands.serve import gunicorn_command
from safeops.gunicorn_conf import Worker

SRC = Path(__file__).resolve().parents[3] / "src"


def test_serve_runs_gunicorn_with_the_project_configuration() -> None:
    assert gunicorn_command(host=None, port=None, workers=None, reload=False) == [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:safeops.gunicorn_conf",
    ]
    argv = gunicorn_command(host="0.0.0.0", port=8243, workers=2, reload=True)  # noqa: S104
    assert argv[5:] == ["--bind", "0.0.0.0:8243", "--workers", "2", "--reload"]
    assert gunicorn_command(host="::1", port=None, workers=None, reload=False)[5:] == [
        "--bind",
        "[::1]:8000",
    ]


def test_serve_execs_gunicorn_and_asks_for_jobs_unless_told_not_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, list[str], dict[str, str]]] = []
    monkeypatch.setattr(
        "safeops.core.management.commands.serve.os.execve",
        lambda path, argv, env: calls.append((path, argv, env)),
    )
    call_command("serve", "--port", "8243")
    call_command("serve", "--port", "8243", "--no-worker")
    assert [argv[-2:] for _p, argv, _e in calls] == [["--bind", "127.0.0.1:8243"]] * 2
    assert [env["SAFEOPS_SERVE_JOBS"] for _p, _a, env in calls] == ["1", "0"]


def test_the_worker_trusts_no_forwarded_header_and_writes_no_access_log() -> None:
    config = uvicorn.Config(app="safeops.asgi:application", **Worker.CONFIG_KWARGS)
    assert config.proxy_headers is False
    assert config.access_log is False
    assert config.lifespan == "on"


class _FakeWorker:
    instances: list[_FakeWorker] = []

    def __init__(self) -> None:
        self.ran = False
        self.stopping = threading.Event()
        _FakeWorker.instances.append(self)

    def run_forever(self) -> None:
        self.ran = True
        self.stopping.wait(10)

    def stop(self) -> None:
        self.stopping.set()


def _run_lifespan() -> list[str]:
    async def go() -> list[str]:
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        sent: list[str] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message["type"])

        task = asyncio.ensure_future(
            lifespan_module.lifespan({"type": "lifespan"}, inbox.get, send)
        )
        await inbox.put({"type": "lifespan.startup"})
        while not sent:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        await inbox.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(task, 10)
        return sent

    # A thread of its own: a browser test earlier in the run leaves an event loop running here.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, go()).result(timeout=30)


def test_the_lifespan_runs_the_job_worker_only_when_serve_asks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lifespan_module, "Worker", _FakeWorker)
    _FakeWorker.instances.clear()
    monkeypatch.delenv("SAFEOPS_SERVE_JOBS", raising=False)
    assert _run_lifespan() == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert _FakeWorker.instances == []

    monkeypatch.setenv("SAFEOPS_SERVE_JOBS", "1")
    assert _run_lifespan() == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    (worker,) = _FakeWorker.instances
    assert worker.ran and worker.stopping.is_set()


PROBE = """
import gc, json, sys, time
import safeops.asgi
from django.db import connections
from safeops import gunicorn_conf
gunicorn_conf.when_ready(None)
frozen = gc.get_freeze_count()
gunicorn_conf.post_worker_init(None)
pool = connections["default"].pool
deadline = time.monotonic() + 60
while pool.get_stats().get("pool_size", 0) < 2 and time.monotonic() < deadline:
    time.sleep(0.05)
print(json.dumps({
    "layer_imported": "channels_redis.pubsub" in sys.modules,
    "pool_size": pool.get_stats().get("pool_size", 0),
    "frozen": frozen,
}))
"""


def test_the_hooks_warm_a_server_process_before_it_serves() -> None:
    """The arbiter freezes the start-up objects before forking; a process opens its PostgreSQL
    pool before it accepts; the channel layer's backend is imported with the application."""
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
    except OSError as error:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({error})")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "DATABASE_"))}
    env.update(
        PYTHONPATH=str(SRC),
        DJANGO_SETTINGS_MODULE="safeops.settings.base",
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        DB_POOL_MIN_SIZE="2",
        REDIS_URL="redis://127.0.0.1:6379/5",  # not connected to: the backend is only imported
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state["layer_imported"] is True
    assert state["pool_size"] >= 2  # connections opened without any request asking
    assert state["frozen"] > 10_000
