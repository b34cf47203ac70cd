"""Facility scores for people who look: "Never audited" as its own count, the district score
explained in words, a chart and a map by score band, and a filter by zone, level and band."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client

from safeops.facilities.services import facility_audit_record, facility_defaults_seed
from safeops.staff.choices import Role
from tests.safeops.facilities.fixture import audit_results
from tests.safeops.factories import ScenarioDistrict

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]
ACTOR = "system:test"


def _page(scenario: ScenarioDistrict, query: str = "", *, audited: bool = True) -> str:
    if audited:
        template = facility_defaults_seed(district=scenario.district, actor=ACTOR)
        facility_audit_record(
            school=scenario.school_a,
            template=template,
            conducted_on=dt.date(2026, 10, 5),
            results=audit_results(template, {"main_entrance"}),
            actor=ACTOR,
        )
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    return client.get(f"/facilities/{query}").content.decode()


def _chart(page: str) -> dict[str, int]:
    rows = re.findall(r'<tr data-bar="(\w+)">.*?<td class="num">(\d+)</td>', page)
    return {key: int(count) for key, count in rows}


def _listed(page: str) -> list[str]:
    table = page[page.index('id="facility-scores"') :]
    return re.findall(r'<tr data-school="\d+"><td><a href="[^"]+">([^<]+)</a>', table)


def test_never_audited_is_its_own_count_and_the_score_is_explained(
    scenario: ScenarioDistrict,
) -> None:
    page = _page(scenario)
    assert "3 schools never audited" in page
    assert _chart(page) == {"never": 3, "low": 0, "mid": 1, "high": 0}
    words = re.search(r'<p id="district-score-words">(.*?)</p>', page)
    assert words is not None
    assert words.group(1) == (
        "The district score, 85.0, is the average of the latest audit of 1 school out of 4. "
        "3 schools have never been audited and are not in it. "
        "Fewer than half the schools are counted: read it with care."
    )


def test_with_no_audit_there_is_no_score_and_the_page_says_why(
    scenario: ScenarioDistrict,
) -> None:
    page = _page(scenario, audited=False)
    assert "No school has been audited yet, so there is no district score" in page
    assert _chart(page)["never"] == 4


def test_the_map_and_the_filters(scenario: ScenarioDistrict) -> None:
    page = _page(scenario)
    config = re.search(
        r'<script id="point-map-config" type="application/json">(.*?)</script>', page
    )
    assert config is not None
    kinds = {p["name"]: (p["kind"], p["text"]) for p in json.loads(config.group(1))["points"]}
    assert kinds["A Middle"] == ("mid", "Score 85.0")
    assert kinds["B High"] == ("never", "Never audited")
    assert 'href="/facilities/?band=never"' in page  # a bar opens its list
    assert _listed(_page(scenario, "?band=never")) == ["A High", "B High", "B Middle"]
    assert sorted(_listed(_page(scenario, "?zone=Zone+B"))) == ["B High", "B Middle"]
    assert _listed(_page(scenario, "?level=middle&sort=name")) == ["A Middle", "B Middle"]
