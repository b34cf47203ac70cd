from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from tests.safeops.factories import ScenarioDistrict, build_scenario


@pytest.fixture
def scenario(db: None) -> ScenarioDistrict:
    """Two high-school areas, each with one zone; one user per role scoped to area A."""
    return build_scenario(today=timezone.localdate())


@pytest.fixture
def postgres_only(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (make test-postgres)")
