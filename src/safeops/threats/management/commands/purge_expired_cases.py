"""`safeops purge-expired-cases [--dry-run]`: list, then delete, closed cases and tips older
than THREAT_RETENTION_DAYS after closing, each deletion with an audit entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeops.threats.retention import purge_expired


class Command(BaseCommand):
    help = "List, then delete, threat cases and tips past the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List only; delete nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = purge_expired(dry_run=options["dry_run"])
        for line in report.lines:
            self.stdout.write(line)
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(
            f"{verb} {report.cases} case(s) and {report.tips} tip(s) closed before "
            f"{report.cutoff:%Y-%m-%d} (retention {report.days} days)."
        )
