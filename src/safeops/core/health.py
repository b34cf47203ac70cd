"""Health endpoints for a load balancer, an orchestrator or monitoring.

`/healthz` answers that the process is alive and touches nothing else. `/readyz` checks what
serving needs: the database, Redis when configured, a live job worker, the job queue's lag and,
with the manifest static storage, the collected manifest. Neither needs a login or sets a
cookie, and neither says more than each check's name, outcome and a short reason (no host,
address or exception text: those go to the log).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import redis
from django.conf import STATICFILES_STORAGE_ALIAS, settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages
from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeops.core.jobs_ops import oldest_due_job_age, worker_last_seen

logger = logging.getLogger(__name__)

DATABASE_TIMEOUT_MS = 2000
REDIS_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, "detail": self.detail}


def check_database() -> Check:
    """`SELECT 1`, with a statement timeout on PostgreSQL."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SET LOCAL statement_timeout = {DATABASE_TIMEOUT_MS}")
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Readiness: the database is unreachable", exc_info=True)
        return Check(False, "unreachable")
    return Check(True, connection.vendor)


def check_redis() -> Check | None:
    """PING with a one-second timeout; None (not checked) without REDIS_URL."""
    url = str(getattr(settings, "REDIS_URL", "") or "")
    if not url:
        return None
    client = redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except Exception:
        logger.warning("Readiness: Redis is unreachable", exc_info=True)
        return Check(False, "unreachable")
    finally:
        client.close()
    return Check(True, "pong")


def check_worker(now: dt.datetime) -> Check | None:
    """A job worker reported within READY_WORKER_MAX_AGE_SECONDS (0: not checked)."""
    limit = int(settings.READY_WORKER_MAX_AGE_SECONDS)
    if limit <= 0:
        return None
    seen = worker_last_seen()
    if seen is None:
        return Check(False, "no worker has reported")
    age = (now - seen).total_seconds()
    return Check(age <= limit, f"last seen {max(0, round(age))} s ago (limit {limit} s)")


def check_job_lag(now: dt.datetime) -> Check | None:
    """No due job has waited longer than READY_JOB_LAG_MAX_SECONDS (0: not checked)."""
    limit = int(settings.READY_JOB_LAG_MAX_SECONDS)
    if limit <= 0:
        return None
    age = oldest_due_job_age(now=now)
    if age is None:
        return Check(True, "no due job waiting")
    seconds = age.total_seconds()
    return Check(seconds <= limit, f"oldest due job waited {round(seconds)} s (limit {limit} s)")


def check_static_manifest() -> Check | None:
    """With the manifest static storage (production), `collectstatic` wrote its manifest."""
    storage = storages[STATICFILES_STORAGE_ALIAS]
    if not isinstance(storage, ManifestFilesMixin):
        return None
    try:
        present = storage.exists(storage.manifest_name)
    except Exception:
        logger.warning("Readiness: the static manifest could not be read", exc_info=True)
        present = False
    return Check(present, "present" if present else "missing: run collectstatic")


def readiness(*, now: dt.datetime | None = None) -> dict[str, Check]:
    """Every applicable check by name (the worker and lag checks read the database)."""
    now = now or timezone.now()
    database = check_database()
    checks: dict[str, Check | None] = {"database": database, "redis": check_redis()}
    if database.ok:
        checks["worker"] = check_worker(now)
        checks["job_lag"] = check_job_lag(now)
    else:
        skipped = Check(False, "database unreachable")
        if int(settings.READY_WORKER_MAX_AGE_SECONDS) > 0:
            checks["worker"] = skipped
        if int(settings.READY_JOB_LAG_MAX_SECONDS) > 0:
            checks["job_lag"] = skipped
    checks["static_manifest"] = check_static_manifest()
    return {name: check for name, check in checks.items() if check is not None}


@never_cache
@require_safe
def healthz_view(request: HttpRequest) -> JsonResponse:
    """Alive: the process answers. No database, no session."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz_view(request: HttpRequest) -> JsonResponse:
    """Ready to serve: 200 when every check passes, 503 naming the failing ones."""
    checks = readiness()
    failing = sorted(name for name, check in checks.items() if not check.ok)
    body: dict[str, object] = {
        "status": "fail" if failing else "ok",
        "checks": {name: check.as_json() for name, check in checks.items()},
    }
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
