"""Which database pass runs a test when `make test` runs both (`pass_of`, tests/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from tests.conftest import pass_of


@dataclass
class _Item:
    fixturenames: list[str] = field(default_factory=list)
    markers: set[str] = field(default_factory=set)

    def get_closest_marker(self, name: str) -> Any:
        return name if name in self.markers else None


def _pass(**kwargs: Any) -> str:
    return pass_of(cast(pytest.Item, _Item(**kwargs)))


def test_a_test_without_a_database_runs_on_sqlite_only() -> None:
    assert _pass(fixturenames=["settings", "tmp_path"]) == "sqlite"


def test_a_database_test_runs_in_both_passes() -> None:
    assert _pass(fixturenames=["scenario", "db"]) == "both"
    assert _pass(markers={"django_db"}) == "both"
    assert _pass(fixturenames=["postgres_only", "db"], markers={"postgres"}) == "both"


def test_browser_flows_run_on_postgresql_and_page_crawls_on_sqlite() -> None:
    assert _pass(fixturenames=["live_server"], markers={"browser"}) == "postgres"
    crawl = {"browser", "page_crawl", "django_db"}
    assert _pass(fixturenames=["transactional_db"], markers=crawl) == "sqlite"
    # A browser test that opens no database is the same in both passes.
    assert _pass(markers={"browser"}) == "sqlite"
