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

The modules: `common` (layout, messages, tools), `create`, `archive` (reading and checking
an archive) and `restore`. This package re-exports the names callers use.
"""

from safeops.core.backup.archive import backup_unpack
from safeops.core.backup.common import BackupError
from safeops.core.backup.create import backup_create
from safeops.core.backup.restore import backup_restore

__all__ = ["BackupError", "backup_create", "backup_restore", "backup_unpack"]
