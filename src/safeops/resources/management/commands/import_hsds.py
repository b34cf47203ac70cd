"""`safeops import-hsds PATH [--dry-run]`: load an Open Referral HSDS 3.0 or 3.1 data set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.resources.hsds.reading import HsdsError, read_path
from safeops.resources.hsds.writing import hsds_write

ERROR_REJECTED = "{count} in {path}; nothing was written"


class Command(BaseCommand):
    help = (
        "Import an HSDS 3.0 or 3.1 data set: a datapackage folder, a folder of CSV tables, or a "
        "JSON file (nested or tabular). Everything is validated first; any error is listed with "
        "its path and nothing is written. Records are matched by HSDS id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Validate only.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            data = read_path(path)
        except HsdsError as error:
            for message in error.errors:
                self.stderr.write(message)
            count = len(error.errors)
            raise CommandError(
                ERROR_REJECTED.format(
                    count=f"{count} error" + ("" if count == 1 else "s"), path=path.name
                )
            ) from None
        for warning in data.warnings:
            self.stderr.write(f"warning: {warning}")
        if options["dry_run"]:
            counts = ", ".join(f"{t}: {len(rows)}" for t, rows in data.tables.items())
            self.stdout.write(f"valid, nothing written: {counts}")
            return
        result = hsds_write(data=data, actor="system:import-hsds")
        self.stdout.write(result.summary())
