"""Suite-wide fixtures and the CI rule that browser, PostgreSQL and HSDS tests may not skip."""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

import pytest

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


@pytest.fixture
def jcps_schools_csv() -> Path:
    path = SHARED_DATA / "schools.csv"
    if not path.exists():
        pytest.skip(f"JCPS data not found at {path}")
    return path
