from __future__ import annotations

from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from safeops.core.jobs import Worker


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
        if not options["no_worker"]:
            Worker().start_thread()
        uvicorn.run(
            "safeops.asgi:application",
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            reload=options["reload"],
            proxy_headers=True,
            forwarded_allow_ips=settings.FORWARDED_ALLOW_IPS,
            log_level="info",
        )
