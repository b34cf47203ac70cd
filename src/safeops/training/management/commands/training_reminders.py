from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safeops.training.jobs import reminders_schedule
from safeops.training.services import training_reminders_send


class Command(BaseCommand):
    help = "Queue the daily training-reminder job (it re-queues itself), or send reminders now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send today's reminders now.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            sent = training_reminders_send(on=timezone.localdate())
            self.stdout.write(f"Sent {sent} training reminder(s).")
            return
        job = reminders_schedule()
        self.stdout.write(
            f"Daily training reminders queued; next run {job.run_after:%Y-%m-%d %H:%M}."
        )
