from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from safeops.core.lifespan import SERVE_JOBS_VARIABLE

GUNICORN_CONFIG = "python:safeops.gunicorn_conf"


def gunicorn_command(
    *, host: str | None, port: int | None, workers: int | None, reload: bool
) -> list[str]:
    """The gunicorn command line `serve` runs; options left out come from the environment
    (SERVER_BIND, SERVER_WORKERS: docs/configuration.md)."""
    argv = [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG]
    if host is not None or port is not None:
        address = host or "127.0.0.1"
        if ":" in address:
            address = f"[{address}]"
        argv += ["--bind", f"{address}:{port or 8000}"]
    if workers is not None:
        argv += ["--workers", str(workers)]
    if reload:
        argv.append("--reload")
    return argv


class Command(BaseCommand):
    help = (
        "Serve the app (gunicorn with uvicorn workers: HTTP and WebSocket), behind a TLS proxy "
        "in production. Runs the background jobs too unless --no-worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, help="Port to listen on (default 8000).")
        parser.add_argument(
            "--workers",
            type=int,
            help="Server processes (default SERVER_WORKERS or 1; set REDIS_URL when above 1).",
        )
        parser.add_argument(
            "--reload", action="store_true", help="Restart on code changes (development)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run background jobs in the server (run `safeops worker` instead).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or int(os.environ.get("SERVER_WORKERS") or 1)
        if workers > 1 and not settings.REDIS_URL:
            self.stderr.write(
                "Warning: several workers without REDIS_URL do not share live updates."
            )
        argv = gunicorn_command(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            reload=options["reload"],
        )
        env = dict(os.environ)
        env[SERVE_JOBS_VARIABLE] = "0" if options["no_worker"] else "1"
        if options["reload"]:
            env["SERVER_RELOAD"] = "1"
        if options["host"] or options["port"]:
            where = f"http://{options['host'] or '127.0.0.1'}:{options['port'] or 8000}/"
        else:
            where = os.environ.get("SERVER_BIND") or "http://127.0.0.1:8000/"
        self.stdout.write(f"Serving on {where} (Ctrl+C to stop)")
        self.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, argv, env)  # noqa: S606 - our own interpreter and arguments
