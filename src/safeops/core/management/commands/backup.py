"""`safeops backup [--out DIR|FILE.tar.gz]`: database, uploaded files and a manifest with
checksums in one archive (docs/backup.md). No key is ever written into it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one .tar.gz archive with a manifest "
        "(row counts, migrations, SHA-256 of every file). The encryption key is not included."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            help="A directory (the archive gets a dated name) or a file ending in .tar.gz "
            "(default: BACKUP_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        destination: Path = options["out"] or Path(settings.BACKUP_DIR)
        try:
            result = backup_create(destination=destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        rows = sum(manifest["tables"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(
            f"wrote {result.path} ({result.size} bytes): {manifest['database']['engine']} "
            f"database, {len(manifest['tables'])} tables, {rows} rows, {files} uploaded files"
        )
        self.stdout.write(f"sha256 {result.sha256} (also in {result.path.name}.sha256)")
