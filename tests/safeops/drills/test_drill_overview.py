"""The drill dashboard for people who look: a chart and a map of compliance, a filter by zone,
level and status, and a sorted, paginated list (safeops.core.listing)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client

from safeops.staff.choices import Role
from tests.safeops.drills.helpers import kentucky_year, log
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario

ON = dt.date(2026, 9, 25)


def _page(scenario: ScenarioDistrict, query: str = "") -> str:
    kentucky_year(scenario.district, start_year=2026)
    for day in (dt.date(2026, 8, 13), dt.date(2026, 8, 20), dt.date(2026, 9, 10)):
        log(scenario.high_a, "fire", day)
    for code in ("lockdown", "severe_weather", "earthquake"):
        log(scenario.high_a, code, dt.date(2026, 9, 1))
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    return client.get(f"/drills/?on={ON.isoformat()}{query}").content.decode()


def _chart(page: str) -> dict[str, int]:
    rows = re.findall(r'<tr data-bar="(\w+)">.*?<td class="num">(\d+)</td>', page)
    return {key: int(count) for key, count in rows}


def _map_points(page: str) -> list[dict[str, object]]:
    config = re.search(
        r'<script id="point-map-config" type="application/json">(.*?)</script>', page
    )
    assert config, "no map configuration"
    return json.loads(config.group(1))["points"]  # type: ignore[no-any-return]


def _listed(page: str) -> list[str]:
    table = page[page.index('id="drill-compliance"') :]
    return re.findall(r'<tr data-school="\d+">\s*<td><a href="[^"]+">([^<]+)</a>', table)


def test_the_chart_counts_schools_by_status_and_is_a_table(scenario: ScenarioDistrict) -> None:
    page = _page(scenario)
    assert _chart(page) == {"overdue": 3, "due_soon": 0, "compliant": 1}
    assert '<figure class="bar-chart" id="drill-chart">' in page
    assert "<figcaption>Schools by drill status, as of 2026-09-25</figcaption>" in page
    # Each bar links to the list filtered to that status, keeping the date.
    assert 'href="/drills/?on=2026-09-25&amp;status=compliant"' in page


def test_the_map_shows_every_school_the_filters_keep_coloured_by_status(
    scenario: ScenarioDistrict,
) -> None:
    points = _map_points(_page(scenario))
    kinds = {p["name"]: p["kind"] for p in points}
    assert kinds == {
        "A High": "compliant",
        "A Middle": "overdue",
        "B High": "overdue",
        "B Middle": "overdue",
    }
    assert all(p["url"].startswith("/drills/schools/") for p in points)  # type: ignore[union-attr]


def test_the_filters_narrow_the_list_chart_and_map(scenario: ScenarioDistrict) -> None:
    by_zone = _page(scenario, "&zone=Zone+A")
    assert sorted(_listed(by_zone)) == ["A High", "A Middle"]
    assert _chart(by_zone) == {"overdue": 1, "due_soon": 0, "compliant": 1}
    assert {p["name"] for p in _map_points(by_zone)} == {"A High", "A Middle"}
    by_level = _page(scenario, "&level=middle&status=overdue")
    assert sorted(_listed(by_level)) == ["A Middle", "B Middle"]
    assert "2 of 4 shown by the filters" in by_level
    assert sorted(_listed(_page(scenario, "&status=compliant"))) == ["A High"]
    # An unknown value is ignored, not an error.
    assert len(_listed(_page(scenario, "&zone=Nowhere&status=bogus"))) == 4


def test_the_list_sorts_and_pages(scenario: ScenarioDistrict) -> None:
    assert _listed(_page(scenario, "&sort=name")) == ["A High", "A Middle", "B High", "B Middle"]
    assert _listed(_page(scenario))[-1] == "A High"  # most at risk first: the compliant one last
    page = _page(scenario, "&sort=name&page=9")  # past the end: the last page
    assert "A High" in _listed(page)
