"""What grants access takes effect in every server process at once.

Two real server processes (`safeops serve`, one process each, on two ports) share the test
database. Each has served the user (so anything a process kept would be warm), then access is
taken away through one process or from outside (this test process), and the very next request
to the other process must be refused. Runs on SQLite (a file) and on PostgreSQL.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from django.db import connection
from django.utils import timezone

from safeops.accounts.models import User
from safeops.accounts.tokens import token_create
from safeops.core.services import model_update
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict, build_scenario

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# The two database passes of `make test` run at once: each takes its own ports and Redis database.
POSTGRES_PASS = os.environ.get("SAFEOPS_POSTGRES_PASS") == "1"
PORTS = range(8250, 8260) if POSTGRES_PASS else range(8240, 8250)
# The servers share live updates and the API throttle's counts through Redis when it answers
# (CI); the throttle test skips without it.
REDIS_URL = os.environ.get(
    "SAFEOPS_TEST_REDIS_URL_CROSS", f"redis://127.0.0.1:6379/{13 if POSTGRES_PASS else 12}"
)
TOKEN_RATE = 10  # calls a minute per user, for the throttle test
SAFEOPS = Path(sys.executable).with_name("safeops")
START_SECONDS = 180


def _free_ports(count: int) -> list[int]:
    found: list[int] = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.fail(f"no {count} free ports in {PORTS.start}-{PORTS.stop - 1}")


def _database_url(settings: dict[str, Any]) -> str:
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def _get(port: int, path: str, token: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _post(port: int, path: str, token: str, body: dict[str, Any]) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            path,
            body=json.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server on port {port} exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the server on port {port} did not start in {START_SECONDS} s")


def _redis_reachable() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1).close()
    except OSError:
        return False
    return True


def _redis_flush() -> None:
    """Empty the test's Redis database (counts left by an earlier run)."""
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture(scope="module")
def two_servers(django_db_setup: None) -> Iterator[tuple[int, int]]:
    """Ports of two server processes on the test database."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file test database (SAFEOPS_SQLITE_TEST_FILE is 'memory')")
    env = {key: value for key, value in os.environ.items() if not key.startswith("SERVER_")}
    env.update(
        DJANGO_SETTINGS_MODULE="safeops.settings.test",
        DATABASE_URL=_database_url(settings),
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    if _redis_reachable():
        _redis_flush()
        env.update(REDIS_URL=REDIS_URL, API_TOKEN_RATE=f"{TOKEN_RATE}/m")
    ports = _free_ports(2)
    processes = [
        subprocess.Popen(
            [str(SAFEOPS), "serve", "--port", str(port), "--workers", "1", "--no-worker"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_until_up(port, process)
        yield ports[0], ports[1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def district() -> ScenarioDistrict:
    return build_scenario(today=timezone.localdate())


def _token(user: Any) -> tuple[Any, str]:
    return token_create(user=user, name="two processes", actor="system:test")


def test_a_revoked_token_is_refused_by_the_other_process_at_once(
    two_servers: tuple[int, int], district: ScenarioDistrict
) -> None:
    first, second = two_servers
    token, raw = _token(district.users[Role.DISPATCHER])
    assert _get(first, "/api/schools", raw) == 200
    assert _get(second, "/api/schools", raw) == 200
    model_update(instance=token, actor="system:test", data={"revoked": True})
    assert _get(second, "/api/schools", raw) == 401
    assert _get(first, "/api/schools", raw) == 401


def test_an_assignment_ended_through_one_process_is_over_in_the_other_at_once(
    two_servers: tuple[int, int], district: ScenarioDistrict
) -> None:
    first, second = two_servers
    _chief_token, chief = _token(district.users[Role.SECURITY_CHIEF])
    _sa_token, sa = _token(district.users[Role.SAFETY_ADMINISTRATOR])
    school = f"/api/schools/{district.school_a.pk}"
    assert _get(first, school, sa) == 200
    assert _get(second, school, sa) == 200
    ended = _post(
        first,
        f"/api/assignments/{district.assignment_a.pk}/end",
        chief,
        {"ends_on": timezone.localdate().isoformat()},
    )
    assert ended == 200
    assert _get(second, school, sa) == 404
    assert _get(first, school, sa) == 404


def test_a_deactivated_user_is_refused_by_the_other_process_at_once(
    two_servers: tuple[int, int], district: ScenarioDistrict
) -> None:
    first, second = two_servers
    user = district.users[Role.DISPATCHER]
    _token_row, raw = _token(user)
    assert _get(first, "/api/schools", raw) == 200
    assert _get(second, "/api/schools", raw) == 200
    deactivated = User.objects.get(pk=user.pk)  # type: ignore[attr-defined]
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    assert _get(second, "/api/schools", raw) == 401
    assert _get(first, "/api/schools", raw) == 401


def test_the_token_throttle_counts_across_processes(
    two_servers: tuple[int, int], district: ScenarioDistrict
) -> None:
    """Calls to either process count against one allowance (the count lives in Redis)."""
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: each process counts alone")
    first, second = two_servers
    _row, raw = _token(district.users[Role.SECURITY_CHIEF])
    statuses = [_get(first if n % 2 else second, "/api/schools", raw) for n in range(TOKEN_RATE)]
    assert statuses == [200] * TOKEN_RATE
    assert _get(first, "/api/schools", raw) == 429
    assert _get(second, "/api/schools", raw) == 429
