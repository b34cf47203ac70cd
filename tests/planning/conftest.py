"""Shared fixtures of the planning tests (no database, no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planning.domain import School
from planning.io.schools import read_schools

ROOT = Path(__file__).resolve().parents[2]
JCPS_CSV = ROOT.parent / "shared" / "data" / "jcps" / "schools.csv"
DATA = Path(__file__).resolve().parent / "data"
TINY_CSV = DATA / "tiny_schools.csv"

MAGNET_HIGH_SCHOOLS = (
    "Butler Traditional High",
    "Louisville Male High",
    "Western High",
    "J. Graham Brown School",
    "Central High Magnet Career Academy",
    "duPont Manual High",
    "The Academy @ Shawnee",
)


@pytest.fixture(scope="session")
def jcps() -> tuple[School, ...]:
    """The real JCPS schools file, or a clean skip when it is absent."""
    if not JCPS_CSV.is_file():
        pytest.skip(f"JCPS data not found at {JCPS_CSV} (shared/ not laid beside the repo)")
    return read_schools(JCPS_CSV)


@pytest.fixture(scope="session")
def tiny() -> tuple[School, ...]:
    """A 14-school golden fixture: two areas, a magnet high school, loose sites."""
    return read_schools(TINY_CSV)
