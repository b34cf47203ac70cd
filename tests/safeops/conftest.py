from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from safeops.core.caches import clear_process_caches
from safeops.dispatch.recommend import forget_officers
from tests.safeops.factories import ScenarioDistrict, build_scenario


@pytest.fixture(autouse=True)
def _empty_process_caches() -> None:
    """Each test starts with empty per-process caches (ids repeat after a rollback)."""
    clear_process_caches()
    forget_officers()


@pytest.fixture
def scenario(db: None) -> ScenarioDistrict:
    """Two high-school areas, each with one zone; one user per role scoped to area A."""
    return build_scenario(today=timezone.localdate())


@pytest.fixture
def postgres_only(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (make test-postgres)")
