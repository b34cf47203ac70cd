from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safeops.core.jobs import schedules_materialise
from safeops.training.jobs import REMINDER_JOB
from safeops.training.services import training_reminders_send


class Command(BaseCommand):
    help = "Queue the scheduled runs (daily training reminders among them), or send reminders now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send today's reminders now.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            sent = training_reminders_send(on=timezone.localdate())
            self.stdout.write(f"Sent {sent} training reminder(s).")
            return
        job = next(j for j in schedules_materialise() if j.kind == REMINDER_JOB)
        when = timezone.localtime(job.run_after)
        self.stdout.write(
            f"Daily training reminders are scheduled; next run {when:%Y-%m-%d %H:%M}."
        )
