"""/healthz (alive, no database) and /readyz (each check passing and failing)."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeops.core.models import Job, WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[3]
DEAD_REDIS = "redis://127.0.0.1:8261/6"
LIVE_REDIS = os.environ.get("SAFEOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def _alive(seconds_ago: float = 0) -> None:
    seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(name="worker-1", started_at=seen, seen_at=seen)


def _ready() -> tuple[int, dict[str, Any]]:
    response = Client().get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "Set-Cookie" not in response.headers
    return response.status_code, response.json()


@pytest.fixture(autouse=True)
def _no_redis(settings: Any) -> None:
    settings.REDIS_URL = ""
    settings.READY_WORKER_MAX_AGE_SECONDS = 60
    settings.READY_JOB_LAG_MAX_SECONDS = 300


def test_healthz_answers_without_the_database(django_assert_num_queries: Any, db: None) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_passes_with_a_live_worker_and_no_lag() -> None:
    _alive(seconds_ago=5)
    status, body = _ready()
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "worker", "job_lag"}  # no Redis, no manifest
    assert all(check["ok"] for check in body["checks"].values())
    assert "failing" not in body


@pytest.mark.django_db
def test_readyz_fails_without_a_worker_or_with_a_stale_one() -> None:
    status, body = _ready()
    assert (status, body["failing"]) == (503, ["worker"])
    assert body["checks"]["worker"] == {"ok": False, "detail": "no worker has reported"}
    _alive(seconds_ago=120)
    status, body = _ready()
    assert (status, body["failing"]) == (503, ["worker"])


@pytest.mark.django_db
def test_the_worker_check_is_off_when_no_worker_is_expected(settings: Any) -> None:
    settings.READY_WORKER_MAX_AGE_SECONDS = 0
    status, body = _ready()
    assert status == 200
    assert "worker" not in body["checks"]


@pytest.mark.django_db
def test_readyz_fails_when_a_due_job_waits_too_long() -> None:
    _alive()
    Job.objects.create(kind="drills.reminders", run_after=timezone.now() - dt.timedelta(minutes=4))
    assert _ready()[0] == 200
    Job.objects.create(kind="drills.reminders", run_after=timezone.now() - dt.timedelta(minutes=6))
    status, body = _ready()
    assert (status, body["failing"]) == (503, ["job_lag"])


@pytest.mark.django_db
def test_readyz_fails_when_redis_is_down(settings: Any) -> None:
    _alive()
    settings.REDIS_URL = DEAD_REDIS
    status, body = _ready()
    assert (status, body["failing"]) == (503, ["redis"])
    assert body["checks"]["redis"] == {"ok": False, "detail": "unreachable"}
    assert "8261" not in json.dumps(body)  # no address in the answer


@pytest.mark.django_db
def test_readyz_passes_with_redis_up(settings: Any) -> None:
    host, port = LIVE_REDIS.split("//")[1].split("/")[0].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError as error:
        pytest.skip(f"Redis is not reachable at {LIVE_REDIS} ({error})")
    _alive()
    settings.REDIS_URL = LIVE_REDIS
    status, body = _ready()
    assert status == 200
    assert body["checks"]["redis"] == {"ok": True, "detail": "pong"}


@pytest.mark.django_db
def test_readyz_checks_the_static_manifest_with_the_manifest_storage(
    settings: Any, tmp_path: Path
) -> None:
    _alive()
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    status, body = _ready()
    assert (status, body["failing"]) == (503, ["static_manifest"])
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    status, body = _ready()
    assert status == 200
    assert body["checks"]["static_manifest"] == {"ok": True, "detail": "present"}


def test_readyz_fails_and_healthz_answers_when_the_database_is_down(tmp_path: Path) -> None:
    """A real outage: a process whose database is a PostgreSQL port nobody listens on."""
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "h = c.get('/healthz'); r = c.get('/readyz')\n"
        "print(json.dumps([h.status_code, h.json(), r.status_code, r.json()]))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeops.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:8262/safeops_jobs_down",
        "REDIS_URL": "",
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    health_status, health, ready_status, ready = json.loads(result.stdout.strip().splitlines()[-1])
    assert (health_status, health) == (200, {"status": "ok"})
    assert ready_status == 503
    assert ready["failing"] == ["database", "job_lag", "worker"]
    assert ready["checks"]["database"] == {"ok": False, "detail": "unreachable"}


@pytest.mark.django_db
def test_health_checks_are_not_redirected_to_https(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    _alive()
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/readyz").status_code == 200
    assert Client().get("/accounts/login/").status_code == 301  # everything else is
