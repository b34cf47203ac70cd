"""Writing a backup archive: a consistent snapshot of the database, the files, the manifest."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from safeops.core.backup.common import (
    ACTOR,
    AUDIT_MODEL,
    CHUNK,
    DB_MEMBER,
    ERROR_EXISTS,
    ERROR_INSIDE_MEDIA,
    FORMAT,
    MANIFEST,
    MEDIA,
    BackupError,
    BackupResult,
    _app_version,
    _applied_migrations,
    _connection,
    _pg_env,
    _run,
    _sha256,
    _storage,
    _storage_names,
    _table_counts,
    key_ids,
)
from safeops.core.models import AuditAction, AuditEntry


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
