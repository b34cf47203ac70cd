"""A server process prepares before it listens: the channel layer's backend is imported, the
PostgreSQL pool is opening, and the start-up objects are frozen out of the collector's scans."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PROBE = """
import gc, json, sys, time
import safeops.asgi
from django.db import connections
pool = connections["default"].pool
deadline = time.monotonic() + 20
while pool.get_stats().get("pool_size", 0) < 2 and time.monotonic() < deadline:
    time.sleep(0.05)
print(json.dumps({
    "layer_imported": "channels_redis.pubsub" in sys.modules,
    "pool_size": pool.get_stats().get("pool_size", 0),
    "frozen": gc.get_freeze_count(),
}))
"""


def test_the_application_module_warms_up_before_serving() -> None:
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
        REDIS_URL="redis://127.0.0.1:6379/9",  # not connected to: the backend is only imported
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state["layer_imported"] is True
    assert state["pool_size"] >= 2  # connections opened without any request asking
    assert state["frozen"] > 10_000
