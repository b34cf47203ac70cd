from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone, translation
from pytest_django.live_server_helper import LiveServer

from safeops.core.caches import clear_process_caches
from safeops.dispatch.recommend import forget_officers
from tests.safeops.factories import ScenarioDistrict, build_scenario
from tests.safeops.seeded import MODULE_SEEDED_FIXTURES


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


@pytest.fixture
def scenario(db: None) -> ScenarioDistrict:
    """Two high-school areas, each with one zone; one user per role scoped to area A."""
    return build_scenario(today=timezone.localdate())


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
    """Tests on a module-seeded fixture (tests/safeops/seeded.py) run last in their module.

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
        ordered += [i for i in run if not MODULE_SEEDED_FIXTURES & set(_fixtures(i))]
        ordered += [i for i in run if MODULE_SEEDED_FIXTURES & set(_fixtures(i))]
        start = end
    items[:] = ordered


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def _fixtures(item: pytest.Item) -> list[str]:
    return list(getattr(item, "fixturenames", []))
