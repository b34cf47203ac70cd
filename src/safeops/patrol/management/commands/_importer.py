"""The shared part of `safeops import-bells` and `safeops import-patrol-points`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.patrol.importing import ImportSummary
from safeops.schools.importing import SchoolImportError, district_name_resolve
from safeops.schools.models import District

Importer = Callable[..., ImportSummary]


class ImportCommand(BaseCommand):
    importer: Importer
    actor = "system:import"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file (see docs/patrol.md)")
        parser.add_argument("--district", help="District name (default: the only one)")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            name = district_name_resolve(name=options["district"])
            data = path.read_bytes()
        except (SchoolImportError, OSError) as error:
            raise CommandError(str(error)) from error
        district = District.objects.filter(name=name).first()
        if district is None:
            raise CommandError(f"no district named {name!r}")
        summary = type(self).importer(
            data=data, district_id=district.pk, actor=self.actor, dry_run=options["dry_run"]
        )
        if summary.errors:
            for issue in summary.errors:
                self.stderr.write(str(issue))
            raise CommandError(f"{len(summary.errors)} problem(s) in {path.name}; nothing written")
        verb = "would create" if summary.dry_run else "created"
        self.stdout.write(
            f"{path.name}: {verb} {summary.created}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, skipped {len(summary.skipped)} line(s) with no times"
        )
