"""Suite-wide fixtures, the CI rule that browser, PostgreSQL and HSDS tests may not skip, and
which of `make test`'s two database passes runs each test."""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from pytest_django import DjangoDbBlocker

from tests.migrations import migrations_recorded_as_applied

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data" / "jcps"

_REQUIRED_MARKERS = {
    "browser": "SAFEOPS_REQUIRE_BROWSER",
    "postgres": "SAFEOPS_REQUIRE_POSTGRES",
    "hsds": "SAFEOPS_REQUIRE_HSDS",
}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    """Where CI requires a kind of test, a skip of that kind counts as a failure."""
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    for marker, variable in _REQUIRED_MARKERS.items():
        if item.get_closest_marker(marker) is None or os.environ.get(variable) != "1":
            continue
        if marker == "postgres" and os.environ.get("SAFEOPS_POSTGRES_PASS") != "1":
            continue  # the SQLite pass skips PostgreSQL tests by design
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"{variable}=1 but this {marker} test was skipped: {reason}"


# The fixtures that open the test database (pytest-django's, and the session live server's).
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


# What the PostgreSQL pass collects (tools/test-postgres.sh).
PG_TESTS = "tests/safeops/"


def pass_of(item: pytest.Item) -> str:
    """The database pass that runs `item` when `make test` runs both (tools/test-both.sh):
    "sqlite" for a test that touches no database (the same in both) and for the page crawls
    (layout and words, not the database), "postgres" for the other browser tests (flows through
    pages; the crawls open every page on SQLite) and for slow tests marked `postgres_pass` (the
    discipline guard's corpus figures: moved so that the SQLite pass ends about as long before
    the other as mypy and the production smoke test take, which tools/test-both.sh runs on the
    core it frees), "both" for every other database test."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if item.get_closest_marker("page_crawl") is not None:
        return "sqlite"
    if item.get_closest_marker("postgres_pass") is not None:
        return "postgres"
    if item.get_closest_marker("django_db") is None and not _DATABASE_FIXTURES & fixtures:
        return "sqlite"
    if item.get_closest_marker("browser") is not None:
        return "postgres"
    return "both"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each test runs once where a pass would repeat it: in the PostgreSQL pass
    (SAFEOPS_POSTGRES_PASS=1) the tests `pass_of` gives to SQLite are left out; in the SQLite
    pass, the PostgreSQL pass's browser tests only when both passes run (SAFEOPS_BOTH_PASSES=1,
    set by tools/test-both.sh when PostgreSQL answers). Alone, the SQLite pass runs everything."""
    if os.environ.get("SAFEOPS_POSTGRES_PASS") == "1":
        here = {"postgres", "both"}
    elif os.environ.get("SAFEOPS_BOTH_PASSES") == "1":
        here = {"sqlite", "both"}
    else:
        return
    kept = [item for item in items if pass_of(item) in here]
    lost = [
        i.nodeid for i in items if pass_of(i) == "postgres" and not i.nodeid.startswith(PG_TESTS)
    ]
    if lost:  # the PostgreSQL pass runs only tests/safeops: these would run in no pass
        raise pytest.UsageError(f"browser tests outside {PG_TESTS} would run in no pass: {lost}")
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None) -> None:
    """The test database is created from the models, not by running the migrations: Django
    re-renders its model states after each of ~140 operations, 20-35 s of CPU per database on
    this machine, twice in `make test`. The migrations are checked on their own: they describe
    the models (tests/safeops/core/test_migrations.py), they run from an empty database in the
    production smoke test (PostgreSQL), and the migration tests run theirs backwards and
    forwards on the test database."""
    for database in settings.DATABASES.values():
        database.setdefault("TEST", {})["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    """The test database as a migrated one reads: every migration recorded as applied (the
    backup's manifest, the migration tests), and the rows the data migrations add."""
    with django_db_blocker.unblock():
        for alias in connections:
            migrations_recorded_as_applied(connections[alias])


@pytest.fixture
def jcps_schools_csv() -> Path:
    path = SHARED_DATA / "schools.csv"
    if not path.exists():
        pytest.skip(f"JCPS data not found at {path}")
    return path
