"""`safeops export-hsds --format json|csv --out DIR`: write the directory as HSDS 3.0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeops.resources.hsds.writing import hsds_export


class Command(BaseCommand):
    help = (
        "Export the resource directory as an HSDS 3.0 datapackage: datapackage.json and one "
        "CSV or JSON file per table (JSON also writes services.json, the nested form)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("json", "csv"), default="json", dest="fmt")
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = hsds_export(fmt=options["fmt"], out=options["out"], actor="system:export-hsds")
        total = sum(counts.values())
        self.stdout.write(f"wrote {total} records in {len(counts)} tables to {options['out']}")
