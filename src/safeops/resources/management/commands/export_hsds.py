"""`safeops export-hsds --format json|csv --out DIR [--hsds-version 3.0|3.1]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeops.resources.hsds.schemas import DEFAULT_VERSION, VERSIONS
from safeops.resources.hsds.writing import hsds_export


class Command(BaseCommand):
    help = (
        "Export the resource directory as an HSDS 3.0 or 3.1 datapackage: datapackage.json and "
        "one CSV or JSON file per table (JSON also writes services.json, the nested form)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("json", "csv"), default="json", dest="fmt")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument(
            "--hsds-version",
            choices=VERSIONS,
            default=DEFAULT_VERSION,
            help="3.0 leaves out the tables and fields 3.1 added (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = hsds_export(
            fmt=options["fmt"],
            out=options["out"],
            actor="system:export-hsds",
            version=options["hsds_version"],
        )
        total = sum(counts.values())
        self.stdout.write(f"wrote {total} records in {len(counts)} tables to {options['out']}")
