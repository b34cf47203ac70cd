from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from safeops.core.caches import clear_process_caches
from safeops.dispatch.recommend import forget_officers
from tests.safeops.factories import ScenarioDistrict, build_scenario, scenario_again
from tests.safeops.seeded import MODULE_SEEDED_FIXTURES, module_transaction


@pytest.fixture(autouse=True)
def _empty_process_caches() -> Iterator[None]:
    """Each test starts with empty per-process caches (ids repeat after a rollback), and ends
    in the site's language (a request in Spanish leaves it active in the thread: a later
    test's English words would read Spanish, depending on the order tests run in)."""
    clear_process_caches()
    forget_officers()  # and the officers held for new calls
    yield
    translation.deactivate()


# Rows post_migrate makes for the installed models: a flush keeps them (see _quick_flush).
KEPT_BY_FLUSH = frozenset({"django_content_type", "auth_permission"})


@pytest.fixture(scope="session", autouse=True)
def _quick_flush() -> Iterator[None]:
    """The flush that ends each transactional test, made quick without changing what it leaves.

    - On PostgreSQL the tables are emptied with DELETE, not Django's TRUNCATE: PostgreSQL then
      replaces each table's and index's files, seconds for ~140 tables even when they hold a
      few thousand rows (7.5 s vs 0.35 s after a 40-school demo seed, on a loaded machine).
      DELETE leaves them as empty, as Django's SQLite flush does; every foreign key is
      deferrable, so the order does not matter.
    - The content types and permissions are kept: the flush's post_migrate step creates them
      again anyway (whatever is missing), which took ~1 s on PostgreSQL when all were gone.
    A flush that resets sequences or cascades (no test here asks for one) is Django's own.
    """
    ops = type(connection.ops)
    django_flush = ops.sql_flush
    postgres = connection.vendor == "postgresql"

    def sql_flush(
        self: BaseDatabaseOperations,
        style: Any,
        tables: Sequence[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or allow_cascade:
            return django_flush(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        tables = [table for table in tables if table not in KEPT_BY_FLUSH]
        if not postgres:
            return django_flush(self, style, tables)
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]

    ops.sql_flush = sql_flush  # type: ignore[method-assign]
    yield
    ops.sql_flush = django_flush  # type: ignore[method-assign]


@pytest.fixture(scope="module")
def scenario_seeded(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[ScenarioDistrict | None]:
    """In a module marked `shared_scenario`, the scenario district seeded once for the module
    (tests/safeops/seeded.py); elsewhere None, and each test builds its own."""
    if request.node.get_closest_marker("shared_scenario") is None:
        yield None
        return
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            seeded = build_scenario(today=timezone.localdate())
        yield seeded


@pytest.fixture
def scenario(
    request: pytest.FixtureRequest, scenario_seeded: ScenarioDistrict | None, db: None
) -> ScenarioDistrict:
    """Two high-school areas, each with one zone; one user per role scoped to area A."""
    if scenario_seeded is None:
        return build_scenario(today=timezone.localdate())
    if _transactional(request.node):
        pytest.fail("a transactional test commits: it cannot share the module's scenario")
    return scenario_again(scenario_seeded)


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(_fixtures(item))
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or {"transactional_db", "live_server"} & fixtures
    )


@pytest.fixture
def postgres_only(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (make test-postgres)")


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest, django_db_setup: None) -> Iterator[LiveServer]:
    """pytest-django's live server, started only once the test database exists.

    Started earlier, it would see SQLite's `:memory:` name and share the test thread's
    connection with its server threads (crashes at teardown); afterwards the test database is
    a file (settings/test.py) and each server thread opens its own connection.
    """
    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address)
    yield server
    server.stop()


# --- Chromium (Playwright) for the browser tests: one per session, shared by every directory ---

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")


def _chromium_path() -> str | None:
    explicit = os.environ.get("SAFEOPS_CHROMIUM")
    if explicit:
        return explicit
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = _chromium_path()
    if path is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional, skips without it
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        pytest.skip("playwright is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM runs beside Playwright's event loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on a module-seeded fixture (tests/safeops/seeded.py), and those on the scenario of a
    module marked `shared_scenario`, run last in their module.

    Runs after pytest-django's ordering (database tests, then transactional, then the rest) and
    keeps it: only within a run of consecutive tests of one module do those tests move to the end,
    so the module's other tests never see the seeded rows.
    """
    ordered: list[pytest.Item] = []
    start = 0
    while start < len(items):
        end = start
        while end < len(items) and _module(items[end]) == _module(items[start]):
            end += 1
        run = items[start:end]
        ordered += [i for i in run if not _module_seeded(i)]
        ordered += [i for i in run if _module_seeded(i)]
        start = end
    items[:] = ordered


def _module_seeded(item: pytest.Item) -> bool:
    fixtures = set(_fixtures(item))
    if MODULE_SEEDED_FIXTURES & fixtures:
        return True
    return "scenario" in fixtures and item.get_closest_marker("shared_scenario") is not None


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def _fixtures(item: pytest.Item) -> list[str]:
    return list(getattr(item, "fixturenames", []))
