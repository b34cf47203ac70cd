"""`safeops import-schools FILE [--district NAME] [--dry-run]`: load schools from CSV/GeoJSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.schools.importing import (
    FILE_FORMATS,
    ImportReport,
    SchoolImportError,
    schools_import,
)

ERROR_REJECTED = "{count} in {file}; nothing was written"


def summary(report: ImportReport) -> str:
    """One line: what was (or, for a dry run, would be) created, updated and left unchanged."""
    counts = f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged"
    if report.dry_run:
        return f"dry run, nothing written: would be {counts} in district {report.district!r}"
    return f"{counts} in district {report.district!r}"


class Command(BaseCommand):
    help = (
        "Import a district's schools from a CSV or GeoJSON file. Every row is validated "
        "first; if any row is invalid, every problem is listed and nothing is written. "
        "Schools are matched by state code, else by name, so re-importing changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV or GeoJSON file (see the docs)")
        parser.add_argument(
            "--district",
            help="District name (created if missing). Needed when several districts exist.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and count changes; write nothing."
        )
        parser.add_argument(
            "--format",
            choices=FILE_FORMATS,
            dest="file_format",
            help="File format (default: from the file name, else from the content).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            report = schools_import(
                path=path,
                district_name=options["district"],
                dry_run=options["dry_run"],
                file_format=options["file_format"],
            )
        except SchoolImportError as error:
            raise CommandError(str(error)) from error
        if report.ignored_columns:
            self.stdout.write(f"ignored columns: {', '.join(report.ignored_columns)}")
        if report.errors:
            for issue in report.errors:
                self.stderr.write(str(issue))
            count = len(report.errors)
            errors = f"{count} error" if count == 1 else f"{count} errors"
            raise CommandError(ERROR_REJECTED.format(count=errors, file=path.name))
        self.stdout.write(summary(report))
