"""Expensive data seeded once per test module and rolled back after it.

A module fixture opens an outer transaction, seeds, and yields; each test's own `db` transaction
then nests inside it as a savepoint, so every test starts from the same seeded state and its
writes are rolled back as before. The outer transaction is rolled back when the module ends.
Tests that use such a fixture run last in their module (tests/safeops/conftest.py), so the
other tests of the module never see the seeded rows. Not for transactional or live-server tests
(they commit), and only for data that is the same for every test of the module.

The `scenario` district is seeded so in a module marked `shared_scenario` (each test gets new
instances of its rows, `factories.scenario_again`); elsewhere each test builds its own.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

# The fixture names that hold such a module-wide transaction (see the conftest's ordering hook).
MODULE_SEEDED_FIXTURES = frozenset({"seeded_demo", "seeded_bearers", "crawled"})


@contextmanager
def module_transaction(blocker: DjangoDbBlocker) -> Iterator[None]:
    """Open an outer transaction that is rolled back when the block ends.

    The database stays blocked in between, as for any test without the `db` fixture.
    """
    with blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@contextmanager
def seeded_demo_district(blocker: DjangoDbBlocker, *, schools: int) -> Iterator[int]:
    """The demo district (`seed_demo --schools N`) for a whole module; yields the district's pk."""
    from safeops.schools.models import District  # noqa: PLC0415 - Django is set up by now

    with module_transaction(blocker):
        with blocker.unblock():
            call_command("seed_demo", "--schools", str(schools), stdout=io.StringIO())
            pk = District.objects.get().pk
        yield pk
