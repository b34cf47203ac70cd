from __future__ import annotations

import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeops.core.jobs import Worker, run_due_jobs, schedules_materialise


class Command(BaseCommand):
    help = (
        "Run background jobs, timers and the periodic schedule (planning scenarios, escalations, "
        "daily reminders, retention). `serve` also runs one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Queue the schedules' next runs, run the jobs due now, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            schedules_materialise()
            self.stdout.write(f"Ran {run_due_jobs()} job(s).")
            return
        self.stdout.write("Running jobs (Ctrl+C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            Worker().run_forever()
