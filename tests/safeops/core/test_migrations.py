"""The migrations, now that the test database is created from the models (tests/migrations.py):
they describe the models exactly, every data migration is sorted, and the test database reads
as a fully migrated one."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython, SeparateDatabaseAndState
from django.db.migrations.operations.base import Operation

from safeops.core.models import AccessGeneration
from safeops.resources.models import TaxonomyTerm
from tests.migrations import NOTHING_TO_ADD, SEEDS


@pytest.mark.django_db  # it checks the recorded history too
def test_the_migrations_describe_the_models() -> None:
    """`makemigrations --check`: a model changed without its migration fails here (the test
    database is built from the models, so nothing else would notice)."""
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"models changed without a migration:\n{out.getvalue()}")


def _run_python(operations: list[Operation]) -> list[RunPython]:
    found: list[RunPython] = []
    for operation in operations:
        if isinstance(operation, SeparateDatabaseAndState):
            found += _run_python(operation.database_operations)
        elif isinstance(operation, RunPython):
            found.append(operation)
    return found


def test_every_data_migration_is_sorted_as_adding_rows_or_not() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = {
        (app, name, operation.code.__name__)
        for (app, name), migration in loader.disk_migrations.items()
        if type(migration).__module__.startswith("safeops.")  # the project's own
        for operation in _run_python(migration.operations)
    }
    assert found == {*SEEDS, *NOTHING_TO_ADD}, (
        "sort each data migration in tests/migrations.py: SEEDS if it writes rows into an "
        f"empty database, else NOTHING_TO_ADD: {sorted(found ^ {*SEEDS, *NOTHING_TO_ADD})}"
    )


@pytest.mark.django_db
def test_the_test_database_reads_as_fully_migrated() -> None:
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert AccessGeneration.objects.filter(pk=1).exists()
    assert TaxonomyTerm.objects.exists()
