"""The planning tests share one 40-school demo district per module (tests/safeops/seeded.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import DjangoDbBlocker

from safeops.schools.models import District
from tests.safeops.seeded import seeded_demo_district

SCHOOLS = 40


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[int]:
    """Seeded once for each module; each test's changes roll back."""
    with seeded_demo_district(django_db_blocker, schools=SCHOOLS) as pk:
        yield pk


@pytest.fixture
def demo(seeded_demo: int, db: None) -> District:
    """The seeded demo district (`seed_demo --schools 40`), as each test starts from it."""
    return District.objects.get(pk=seeded_demo)
