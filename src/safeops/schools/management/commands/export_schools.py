"""`safeops export-schools [--format csv|geojson] [--out FILE] [--district NAME]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.schools.exporting import SchoolExportError, district_for_export, schools_export
from safeops.schools.importing import FILE_FORMATS

ERROR_CANNOT_WRITE = "cannot write {path}: {reason}"


class Command(BaseCommand):
    help = (
        "Export a district's schools as CSV or GeoJSON, in the columns import-schools reads "
        "(so the output imports back with no changes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=FILE_FORMATS, default="csv", dest="file_format", help="(csv)"
        )
        parser.add_argument("--out", type=Path, help="Write to this file (default: stdout).")
        parser.add_argument("--district", help="District name (needed if several exist).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            district = district_for_export(name=options["district"])
            text = schools_export(district=district, file_format=options["file_format"])
        except SchoolExportError as error:
            raise CommandError(str(error)) from error
        out: Path | None = options["out"]
        if out is None:
            self.stdout.write(text, ending="")
            return
        try:
            out.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            message = ERROR_CANNOT_WRITE.format(path=out, reason=error.strerror or error)
            raise CommandError(message) from error
        self.stdout.write(f"wrote {district.schools.count()} schools to {out}")
