"""gunicorn settings: `gunicorn -c python:safeops.gunicorn_conf safeops.asgi:application`.

gunicorn's arbiter starts, watches and restarts the server processes; each runs uvicorn (the
`uvicorn_worker` package) on the ASGI application: Django for HTTP, Channels for WebSockets.
Every value comes from an environment variable (docs/configuration.md); `safeops serve` passes
its options as gunicorn flags, which win. This module does not import Django: the arbiter loads
the application once (`preload_app`) and forks the processes from it.

No request log here: the application writes one line per request itself. The server never
rewrites the client address from `X-Forwarded-For` (`safeops.core.clientaddr` decides which hop
to believe) nor the scheme (Django's `SECURE_PROXY_SSL_HEADER` does).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

from uvicorn_worker import UvicornWorker  # type: ignore[import-untyped]


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


class Worker(UvicornWorker):  # type: ignore[misc]
    """uvicorn in a gunicorn process, without proxy-header rewriting or an access log."""

    CONFIG_KWARGS = {
        **UvicornWorker.CONFIG_KWARGS,
        "proxy_headers": False,
        "access_log": False,
        "ws": "websockets-sansio",
        "lifespan": "on",  # safeops.core.lifespan
    }


wsgi_app = "safeops.asgi:application"
worker_class = "safeops.gunicorn_conf.Worker"
bind = [
    address.strip()
    for address in os.environ.get("SERVER_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
# One per core in production (with REDIS_URL, so the processes share live updates).
workers = _env_int("SERVER_WORKERS", 1)
# Seconds a process may go without reporting to the arbiter before it is killed and replaced.
timeout = _env_int("SERVER_TIMEOUT", 30)
# Seconds a stopping process (deploy, restart, max_requests) gets to finish its requests.
graceful_timeout = _env_int("SERVER_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("SERVER_KEEPALIVE", 5)
# Replace a process after about this many requests (0: never), staggered by the jitter.
max_requests = _env_int("SERVER_MAX_REQUESTS", 20_000)
max_requests_jitter = _env_int("SERVER_MAX_REQUESTS_JITTER", 2_000)
# Development: restart the processes when a source file changes (`safeops serve --reload`).
reload = os.environ.get("SERVER_RELOAD") == "1"
# Import Django and the application once, in the arbiter, and fork the processes ready to serve
# (not when reloading: a process must then import the changed code itself).
preload_app = not reload
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "safeops"
# No runtime control socket (gunicornc): a unit file or `safeops serve` manages the server.
control_socket_disable = True
# The server itself trusts no forwarded header (see the module docstring and Worker).
forwarded_allow_ips = "127.0.0.1"


def _freeze_start_up_objects() -> None:
    """What is loaded by now lives as long as the process: frozen, the collector stops scanning
    it, so a full collection walks only what requests create (it walked ~190,000 start-up
    objects, 100-200 ms pauses, before). Done in the arbiter, forked processes share the pages."""
    gc.collect()
    gc.freeze()


def when_ready(server: Any) -> None:
    """The arbiter, before it forks: no database connection may cross the fork."""
    if "django.db" in sys.modules:
        from django.db import connections  # noqa: PLC0415 - only if the app loaded Django

        connections.close_all()
    _freeze_start_up_objects()


def post_worker_init(worker: Any) -> None:
    """A server process with its application loaded, before it accepts: open the PostgreSQL
    pool (connections start in the background; a database that is down is retried), then load
    what the first requests would (`safeops.core.warmup`)."""
    _freeze_start_up_objects()
    from django.conf import settings  # noqa: PLC0415 - config loads before Django
    from django.db import connections  # noqa: PLC0415 - config loads before Django

    from safeops.core.warmup import warm_process  # noqa: PLC0415 - config loads before Django

    pool = getattr(connections["default"], "pool", None)  # None without DB_POOL
    if pool is not None:
        pool.open(wait=False)
    if settings.SERVER_WARMUP:
        warm_process()


def child_exit(server: Any, worker: Any) -> None:
    """A server process ended: with PROMETHEUS_MULTIPROC_DIR, drop its live-gauge files."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # noqa: PLC0415 - only with PROMETHEUS_MULTIPROC_DIR

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
