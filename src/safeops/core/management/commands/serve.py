from __future__ import annotations

from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.core.jobs import Worker
from safeops.core.serving import (
    PortInUse,
    ServerOptions,
    check_port_free,
    reuse_port_supported,
    serve_processes,
)

APP = "safeops.asgi:application"


class Command(BaseCommand):
    help = (
        "Serve the app with uvicorn (ASGI: HTTP and WebSocket), behind a TLS proxy in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes (use Redis for live updates when > 1).",
        )
        parser.add_argument(
            "--reload", action="store_true", help="Restart on code changes (development)."
        )
        parser.add_argument(
            "--no-access-log",
            action="store_true",
            help="Do not log each request (when the TLS proxy in front logs them).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run background jobs in this process (run `safeops worker` instead).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] > 1 and not settings.REDIS_URL:
            self.stderr.write(
                "Warning: several workers without REDIS_URL do not share live updates."
            )
        self.stdout.write(
            f"Serving on http://{options['host']}:{options['port']}/ (Ctrl+C to stop)"
        )
        several = options["workers"] > 1 and not options["reload"] and reuse_port_supported()
        if several:
            try:
                check_port_free(options["host"], options["port"])
            except PortInUse as error:
                raise CommandError(str(error)) from error
        if not options["no_worker"]:
            Worker().start_thread()
        uvicorn_kwargs: dict[str, Any] = {
            "proxy_headers": True,
            "forwarded_allow_ips": settings.FORWARDED_ALLOW_IPS,
            "log_level": "info",
            "access_log": not options["no_access_log"],
        }
        if several:
            # One listening socket per process: the kernel spreads connections evenly.
            serve_processes(
                count=options["workers"],
                options=ServerOptions(
                    app=APP,
                    host=options["host"],
                    port=options["port"],
                    uvicorn_kwargs=tuple(uvicorn_kwargs.items()),
                ),
            )
            return
        uvicorn.run(
            APP,
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            reload=options["reload"],
            **uvicorn_kwargs,
        )
