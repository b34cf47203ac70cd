"""The test database, created from the models, made to read as a migrated one (tests/conftest.py).

Django builds it with its own `migrate --run-syncdb` from the models instead of running the ~70
migrations (their model states are re-rendered after every operation: 20-35 s per database).
Two things a migrated database has are then added here: every migration recorded as applied,
and the rows the data migrations write into an empty database. Every `RunPython` of the
migrations is listed below as one or the other (`SEEDS`, `NOTHING_TO_ADD`), so a new one fails
tests/safeops/core/test_migrations.py until it is sorted.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

# (app, migration, function): data migrations that write rows into an empty database.
SEEDS = (
    ("resources", "0002_seed_categories", "seed"),  # the category taxonomy
    ("core", "0008_accessgeneration", "first_generation"),  # the access generation's one row
)
# Data migrations with nothing to add to the models' tables: they change rows already there, or
# rename a table to the name the models already give it.
NOTHING_TO_ADD = (
    ("core", "0004_job_retry_schedule_heartbeat", "cancel_self_queued_runs"),
    ("core", "0005_calendarfeedtoken", "rename_table"),
    ("threats", "0002_shared_demographics", "forwards"),
)


def migrations_recorded_as_applied(connection: BaseDatabaseWrapper) -> None:
    """Record every migration as applied and write the data migrations' rows (`SEEDS`)."""
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    applied = recorder.applied_migrations()
    recorder.migration_qs.bulk_create(
        [
            recorder.Migration(app=app, name=name)
            for app, name in graph.nodes
            if (app, name) not in applied
        ]
    )
    with connection.schema_editor() as schema_editor:
        for app, name, function in SEEDS:
            module = importlib.import_module(f"safeops.{app}.migrations.{name}")
            getattr(module, function)(apps, schema_editor)
