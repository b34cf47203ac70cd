"""Restoring a backup archive: the database in one step, then the files, the counts, the
migrations."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management import call_command
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

from safeops.core.accessgen import access_changed
from safeops.core.backup.archive import (
    _check_compatible,
    _in_use,
    _key_warnings,
    backup_unpack,
)
from safeops.core.backup.common import (
    ACTOR,
    AUDIT_MODEL,
    ERROR_COUNTS,
    ERROR_FILE_NAME,
    ERROR_IN_USE,
    MEDIA,
    BackupError,
    RestoreReport,
    _connection,
    _pg_env,
    _quoted_tables,
    _run,
    _sha256,
    _storage,
    _storage_names,
    _table_counts,
)
from safeops.core.caches import clear_process_caches
from safeops.core.models import AuditAction, AuditEntry


def _restore_sqlite(connection: BaseDatabaseWrapper, snapshot: Path) -> None:
    """Replace the whole database with the snapshot, in one step of SQLite's backup API."""
    source = sqlite3.connect(snapshot)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path, work: Path) -> None:
    """Drop every table, then run pg_restore's script, all in one psql transaction: an error
    (ON_ERROR_STOP) rolls everything back and leaves the database as it was."""
    args, env = _pg_env(connection)
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor, include_views=False))
    drop = work / "drop.sql"
    drop.write_text(
        f"DROP TABLE IF EXISTS {_quoted_tables(connection, tables)} CASCADE;\n" if tables else ""
    )
    script = work / "restore.sql"
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            f"--file={script}",
            str(dump),
        ]
    )
    _run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--file={drop}",
            f"--file={script}",
            *args,
        ],
        env=env,
    )


def _restore_files(storage: Storage, source: Path, names: list[str]) -> None:
    for name in _storage_names(storage):
        storage.delete(name)
    for name in names:
        with (source / MEDIA / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(ERROR_FILE_NAME.format(name=name, saved=saved))


def _pending_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def backup_restore(*, archive: Path, replace: bool, verify_only: bool) -> RestoreReport:
    """Verify `archive` whole, then (unless `verify_only`) restore database and files into this
    installation, check every table's count against the manifest and apply newer migrations.
    Anything found wrong before the database is touched raises BackupError and changes nothing."""
    connection = _connection()
    storage = _storage()
    with tempfile.TemporaryDirectory(prefix="safeops-restore-") as tmp:
        work = Path(tmp)
        manifest = backup_unpack(archive=archive, into=work / "archive")
        report = RestoreReport(archive=archive, manifest=manifest)
        _check_compatible(manifest, connection)
        report.warnings = _key_warnings(manifest)
        if verify_only:
            return report
        reasons = _in_use(connection, storage)
        if reasons and not replace:
            raise BackupError(ERROR_IN_USE.format(reasons="; ".join(reasons)))
        dump = work / "archive" / manifest["database"]["file"]
        if connection.vendor == "sqlite":
            _restore_sqlite(connection, dump)
        else:
            _restore_postgresql(connection, dump, work)
        report.restored = True
        names = [
            entry["path"].removeprefix(f"{MEDIA}/")
            for entry in manifest["files"]
            if entry["path"].startswith(f"{MEDIA}/")
        ]
        _restore_files(storage, work / "archive", names)
        report.files = len(names)
    ContentType.objects.clear_cache()
    clear_process_caches()
    counts = _table_counts(connection)
    expected = {str(table): int(count) for table, count in manifest["tables"].items()}
    differ = [
        f"{table} (backup {count}, restored {counts.get(table, 'missing')})"
        for table, count in sorted(expected.items())
        if counts.get(table) != count
    ]
    if differ:
        raise BackupError(ERROR_COUNTS.format(tables="; ".join(differ)))
    report.tables, report.rows = len(counts), sum(counts.values())
    report.migrated = _pending_migrations(connection)
    if report.migrated:
        call_command("migrate", interactive=False, verbosity=0)
    # Every server process drops what it kept of tokens and scopes (the restored generation
    # may be one a process still holds values for).
    access_changed(connection.alias)
    AuditEntry.objects.create(
        actor_label=ACTOR,
        action=AuditAction.UPDATE,
        model=AUDIT_MODEL,
        object_id=connection.alias,
        object_repr=f"{report.rows} rows, {report.files} files"[:200],
        note=(
            f"restored {archive.name} (backup of {manifest.get('created_at', '?')}, "
            f"sha256 {_digest_or_blank(archive)})"
        )[:300],
    )
    return report


def _digest_or_blank(path: Path) -> str:
    try:
        return _sha256(path)
    except OSError:
        return ""
