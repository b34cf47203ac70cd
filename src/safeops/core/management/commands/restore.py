"""`safeops restore ARCHIVE [--replace] [--verify-only]`: check a backup archive whole, then
restore its database and uploaded files and compare every table's count (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `safeops backup`: every checksum is verified first; a target "
        "with users, audit entries or files is refused unless --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gz archive.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database and storage that are in use (everything in them is lost).",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Check the archive (checksums, manifest, migrations, key) and change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            report = backup_restore(
                archive=archive, replace=options["replace"], verify_only=options["verify_only"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        made = f"made {manifest.get('created_at', '?')} by safeops {manifest.get('app_version')}"
        if not report.restored:
            self.stdout.write(
                f"{archive}: OK, {len(manifest['files'])} file(s) match the manifest ({made}); "
                "nothing was changed"
            )
            return
        self.stdout.write(
            f"restored {archive} ({made}): {report.tables} tables, {report.rows} rows, "
            f"{report.files} uploaded files; every table's count matches the manifest"
        )
        if report.migrated:
            self.stdout.write(f"applied newer migrations: {', '.join(report.migrated)}")
