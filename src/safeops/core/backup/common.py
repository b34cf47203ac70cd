"""What backup and restore share: the archive's layout, the messages, the database and
storage they act on, and the PostgreSQL client tools."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient

from safeops.core.crypto import configured_keys

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
