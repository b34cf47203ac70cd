"""Backup and restore: one archive holding the database, the uploaded files and a manifest.

An archive (`safeops-backup-<UTC time>.tar.gz`) contains

- `manifest.json`: format, time, app version, database engine, the applied migrations per app,
  every table's row count, the SHA-256 and size of every other member, and fingerprints (not
  values) of the field-encryption keys;
- `database/db.sqlite3` (SQLite's online backup API: a consistent copy of a live database) or
  `database/db.pgdump` (`pg_dump --format=custom`, taken in the same snapshot as the counts);
- `media/<name>`: every file in the default storage (uploads; tip attachments stay sealed).

No secret is written: not SECRET_KEY, not FIELD_ENCRYPTION_KEY, no environment variable. Sealed
fields stay ciphertext and open only with the same FIELD_ENCRYPTION_KEY, kept apart from backups.

A restore checks every member against the manifest before it touches anything, refuses a
backup whose migrations this code does not have, and refuses a target in use (any user, audit
entry or uploaded file) unless `replace`. It replaces the whole database in one step (SQLite's
backup API; on PostgreSQL one `psql --single-transaction` run of the pg_restore script), then
the files, compares every table's count with the manifest and applies newer migrations.
See docs/backup.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from safeops.core.caches import clear_process_caches
from safeops.core.crypto import configured_keys
from safeops.core.models import AuditAction, AuditEntry

FORMAT = 1
ACTOR = "system:backup"
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
MEDIA = "media"
AUDIT_MODEL = "core.database"
CHUNK = 1024 * 1024

ERROR_ENGINE = "backups support SQLite and PostgreSQL, not {vendor}"
ERROR_EXISTS = "{path} exists: a backup never overwrites an archive"
ERROR_INSIDE_MEDIA = "{path} is inside the uploaded files ({media}): write backups elsewhere"
ERROR_IN_TRANSACTION = "run a backup or restore outside a database transaction"
ERROR_TOOL = "{tool} failed (exit {code}): {detail}"
ERROR_TOOL_MISSING = (
    "{tool} is not installed (the PostgreSQL client tools, of the server's major version or newer)"
)
ERROR_UNREADABLE = "{archive}: not a readable backup archive ({reason})"
ERROR_NO_MANIFEST = "{archive}: no manifest.json (not a safeops backup?)"
ERROR_BAD_MANIFEST = "{archive}: manifest.json is not valid ({reason})"
ERROR_FORMAT = "{archive}: backup format {found} is not supported (this version reads {expected})"
ERROR_MEMBER_NAME = "{archive}: refused member {name!r} (only plain files with relative names)"
ERROR_UNLISTED = "{archive}: {name} is not in the manifest"
ERROR_MISSING = "{archive}: {name} is listed in the manifest but missing"
ERROR_CHECKSUM = "{archive}: {name} is corrupted (SHA-256 or size differs from the manifest)"
ERROR_ENGINE_MISMATCH = "the backup is of a {found} database; this installation uses {expected}"
ERROR_NEWER_SCHEMA = (
    "the backup has migrations this version of safeops does not know: {names}. Install the "
    "release that made the backup (app version {app_version}) or newer, then restore."
)
ERROR_IN_USE = "the target is in use ({reasons}); restore with --replace to overwrite it"
ERROR_COUNTS = "restored, but row counts differ from the manifest: {tables}"
ERROR_FILE_NAME = "the storage renamed {name} to {saved} while restoring"
WARNING_KEYS = (
    "FIELD_ENCRYPTION_KEY lacks {missing} of the {total} key(s) configured at backup time: "
    "sealed fields sealed with {them} will not open until that key is added back"
)
WARNING_DERIVED_KEYS = (
    "the backup was made with a development key derived from SECRET_KEY: sealed fields open "
    "only with the same SECRET_KEY and no FIELD_ENCRYPTION_KEY"
)


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message names the file or table."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    sha256: str
    size: int
    manifest: dict[str, Any]


@dataclass
class RestoreReport:
    archive: Path
    manifest: dict[str, Any]
    restored: bool = False
    tables: int = 0
    rows: int = 0
    files: int = 0
    migrated: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- shared helpers ---


def _connection() -> BaseDatabaseWrapper:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor not in DB_MEMBER:
        raise BackupError(ERROR_ENGINE.format(vendor=connection.vendor))
    if connection.in_atomic_block:
        raise BackupError(ERROR_IN_TRANSACTION)
    connection.ensure_connection()
    return connection


def _storage() -> Storage:
    return storages["default"]


def _app_version() -> str:
    try:
        return version("safeops")
    except PackageNotFoundError:  # pragma: no cover - the package is always installed
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def key_ids() -> tuple[list[str], bool]:
    """Fingerprints of the configured field-encryption keys (never the keys) and whether the
    keys are the development key derived from SECRET_KEY (then no fingerprint is given)."""
    if not [k for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if k.strip()]:
        return [], True
    try:
        keys = configured_keys()
    except ImproperlyConfigured:
        return [], False
    ids = [hashlib.sha256(b"safeops-key-id:" + key).hexdigest()[:16] for key in keys]
    return ids, False


def _storage_names(storage: Storage, directory: str = "") -> list[str]:
    """Every file in `storage`, as storage names (posix paths), sorted."""
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    prefix = f"{directory}/" if directory else ""
    names = [prefix + name for name in files]
    for sub in dirs:
        names.extend(_storage_names(storage, prefix + sub))
    return sorted(names)


def _quoted_tables(connection: BaseDatabaseWrapper, tables: list[str]) -> str:
    return ", ".join(connection.ops.quote_name(table) for table in tables)


def _table_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Rows in every table of the database (Django's, third-party apps' and django_migrations)."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor, include_views=False))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return {}
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
        applied: dict[str, list[str]] = {}
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
    return applied


# --- PostgreSQL client tools ---


def _pg_env(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/psql, as Django's dbshell builds them
    (the password goes in PGPASSWORD, never on the command line)."""
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, [])
    return list(args[1:]), {**os.environ, **(env or {})}


def _run(command: list[str], *, env: dict[str, str] | None = None) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(ERROR_TOOL_MISSING.format(tool=tool))
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-800:]
        raise BackupError(ERROR_TOOL.format(tool=tool, code=result.returncode, detail=detail))


# --- backup ---


def _snapshot_sqlite(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Copy the live database with SQLite's online backup API; count in the copy itself."""
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    copy = connections.create_connection(DEFAULT_DB_ALIAS)
    copy.settings_dict = {**copy.settings_dict, "NAME": str(target)}
    try:
        return _table_counts(copy), _applied_migrations(copy)
    finally:
        copy.close()


def _snapshot_postgresql(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """pg_dump in the snapshot of a repeatable-read transaction that also counts the rows,
    so the manifest describes exactly the dumped data."""
    args, env = _pg_env(connection)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        counts = _table_counts(connection)
        migrations = _applied_migrations(connection)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--compress=0",  # the archive is gzipped as a whole
                f"--snapshot={snapshot_id}",
                f"--file={target}",
                *args,
            ],
            env=env,
        )
    return counts, migrations


def _archive_name(now: dt.datetime) -> str:
    return f"safeops-backup-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.tar.gz"


def backup_create(*, destination: Path, now: dt.datetime | None = None) -> BackupResult:
    """Write one backup archive. `destination` is a directory (the archive gets a dated name)
    or a file name ending in .tar.gz. The archive is written under a temporary name and renamed
    when complete, readable by its owner only; `<archive>.sha256` beside it holds its digest."""
    now = now or timezone.now()
    connection = _connection()
    if destination.suffixes[-2:] == [".tar", ".gz"]:
        path = destination
    else:
        path = destination / _archive_name(now)
    storage = _storage()
    media = getattr(storage, "location", None)
    if media and path.resolve().is_relative_to(Path(media).resolve()):
        raise BackupError(ERROR_INSIDE_MEDIA.format(path=path, media=media))
    if path.exists():
        raise BackupError(ERROR_EXISTS.format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    member = DB_MEMBER[connection.vendor]
    with tempfile.TemporaryDirectory(prefix="safeops-backup-") as tmp:
        stage = Path(tmp)
        (stage / member).parent.mkdir(parents=True)
        if connection.vendor == "sqlite":
            counts, migrations = _snapshot_sqlite(connection, stage / member)
        else:
            counts, migrations = _snapshot_postgresql(connection, stage / member)
        names = _storage_names(storage)
        for name in names:
            target = stage / MEDIA / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, target.open("wb") as copy:
                shutil.copyfileobj(source, copy, CHUNK)
        members = [member, *(f"{MEDIA}/{name}" for name in names)]
        ids, derived = key_ids()
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "app_version": _app_version(),
            "database": {"engine": connection.vendor, "file": member},
            "migrations": migrations,
            "tables": counts,
            "encryption_key_ids": ids,
            "encryption_key_derived": derived,
            "files": [
                {
                    "path": name,
                    "sha256": _sha256(stage / name),
                    "size": (stage / name).stat().st_size,
                }
                for name in members
            ],
        }
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = path.with_name(f".{path.name}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                for name in (MANIFEST, *members):
                    tar.add(stage / name, arcname=name, recursive=False)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    digest = _sha256(path)
    path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n")
    size = path.stat().st_size
    AuditEntry.objects.create(
        actor_label=ACTOR,
        action=AuditAction.EXPORT,
        model=AUDIT_MODEL,
        object_id=connection.alias,
        object_repr=f"{sum(counts.values())} rows, {len(names)} files"[:200],
        note=f"backup {path.name} sha256 {digest}"[:300],
    )
    return BackupResult(path=path, sha256=digest, size=size, manifest=manifest)


# --- verification ---


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _read_manifest(archive: Path, tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupError(ERROR_NO_MANIFEST.format(archive=archive)) from None
    if handle is None:
        raise BackupError(ERROR_NO_MANIFEST.format(archive=archive))
    try:
        manifest = json.loads(handle.read())
        if not isinstance(manifest, dict):
            raise TypeError("not an object")
        if manifest.get("format") != FORMAT:
            raise BackupError(
                ERROR_FORMAT.format(archive=archive, found=manifest.get("format"), expected=FORMAT)
            )
        for key in ("database", "migrations", "tables"):
            if not isinstance(manifest[key], dict):
                raise TypeError(f"{key} is not an object")
        for entry in manifest["files"]:
            if not isinstance(entry["path"], str) or not isinstance(entry["sha256"], str):
                raise TypeError(f"file entry {entry!r} needs a path and a sha256")
            int(entry["size"])
        engine, member = manifest["database"]["engine"], manifest["database"]["file"]
        if DB_MEMBER.get(engine) != member:
            raise ValueError(f"database file {member!r} does not match engine {engine!r}")
        if member not in {entry["path"] for entry in manifest["files"]}:
            raise ValueError(f"the database file {member} is not in the file list")
    except (ValueError, TypeError, KeyError) as error:
        reason = f"missing {error}" if isinstance(error, KeyError) else str(error)
        raise BackupError(ERROR_BAD_MANIFEST.format(archive=archive, reason=reason)) from None
    return manifest


def backup_unpack(*, archive: Path, into: Path) -> dict[str, Any]:
    """Extract the archive into `into`, checking every member against the manifest (names,
    sizes, SHA-256); the first difference raises BackupError naming the member."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(ERROR_MEMBER_NAME.format(archive=archive, name=member.name))
            manifest = _read_manifest(archive, tar)
            listed = {entry["path"]: entry for entry in manifest["files"]}
            present = {member.name: member for member in members if member.name != MANIFEST}
            for name in sorted(present):
                if name not in listed:
                    raise BackupError(ERROR_UNLISTED.format(archive=archive, name=name))
            for name in sorted(listed):
                if name not in present or not _safe_member_name(name):
                    raise BackupError(ERROR_MISSING.format(archive=archive, name=name))
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = tar.extractfile(present[name])
                if source is None:  # pragma: no cover - every member was checked to be a file
                    raise BackupError(ERROR_MEMBER_NAME.format(archive=archive, name=name))
                with target.open("wb") as copy:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        copy.write(chunk)
                entry = listed[name]
                size = target.stat().st_size
                if digest.hexdigest() != entry["sha256"] or size != int(entry["size"]):
                    raise BackupError(ERROR_CHECKSUM.format(archive=archive, name=name))
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(ERROR_UNREADABLE.format(archive=archive, reason=error)) from None
    return manifest


def _known_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update((app, name) for app, name in migration.replaces)
    return known


def _check_compatible(manifest: dict[str, Any], connection: BaseDatabaseWrapper) -> None:
    engine = manifest["database"]["engine"]
    if engine != connection.vendor:
        raise BackupError(ERROR_ENGINE_MISMATCH.format(found=engine, expected=connection.vendor))
    known = _known_migrations()
    unknown = [
        f"{app}.{name}"
        for app, names in sorted(manifest["migrations"].items())
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            ERROR_NEWER_SCHEMA.format(
                names=", ".join(unknown), app_version=manifest.get("app_version", "?")
            )
        )


def _key_warnings(manifest: dict[str, Any]) -> list[str]:
    if manifest.get("encryption_key_derived"):
        return [WARNING_DERIVED_KEYS]
    wanted = [str(k) for k in manifest.get("encryption_key_ids", [])]
    have, _ = key_ids()
    missing = [index for index, key in enumerate(wanted, start=1) if key not in have]
    if not missing:
        return []
    them = ", ".join(f"key {index} ({wanted[index - 1]})" for index in missing)
    return [WARNING_KEYS.format(missing=len(missing), total=len(wanted), them=them)]


def _in_use(connection: BaseDatabaseWrapper, storage: Storage) -> list[str]:
    """Why the target holds data a restore would overwrite: user accounts, audit entries or
    uploaded files (a migrated, never used database has none of them)."""
    reasons = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in (get_user_model(), AuditEntry):
            table = model._meta.db_table
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                count = int(cursor.fetchone()[0])
                if count:
                    reasons.append(f"{table}: {count} rows")
    files = len(_storage_names(storage))
    if files:
        reasons.append(f"{files} uploaded files")
    return reasons


# --- restore ---


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
