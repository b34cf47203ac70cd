"""Reading a backup archive: every member checked against the manifest before anything is
used; whether this code can restore it (engine, migrations, keys) and whether the target is
free."""

from __future__ import annotations

import hashlib
import json
import tarfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import Storage
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from safeops.core.backup.common import (
    CHUNK,
    DB_MEMBER,
    ERROR_BAD_MANIFEST,
    ERROR_CHECKSUM,
    ERROR_ENGINE_MISMATCH,
    ERROR_FORMAT,
    ERROR_MEMBER_NAME,
    ERROR_MISSING,
    ERROR_NEWER_SCHEMA,
    ERROR_NO_MANIFEST,
    ERROR_UNLISTED,
    ERROR_UNREADABLE,
    FORMAT,
    MANIFEST,
    WARNING_DERIVED_KEYS,
    WARNING_KEYS,
    BackupError,
    _storage_names,
    key_ids,
)
from safeops.core.models import AuditEntry


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
