"""Each scenario's annual cost from the district's unit costs, and the cost per minute of p90
response saved on the comparison page."""

from __future__ import annotations

import pytest
from django.test import Client

from safeops.core.jobs import run_due_jobs
from safeops.scenarios.models import PlanningCosts, Scenario
from safeops.scenarios.selectors import safety_administrator_posts, scenario_comparison_for_user
from safeops.scenarios.services import scenario_create
from safeops.schools.models import District
from safeops.staff.models import Person

pytestmark = pytest.mark.django_db


def _user(username: str) -> object:
    return Person.objects.get(user__username=username).user


def _run(district: District, officers: int) -> Scenario:
    scenario = scenario_create(
        district=district, name=f"{officers} officers", actor=_user("demo-chief"), officers=officers
    )  # type: ignore[arg-type]
    assert run_due_jobs() == 1
    scenario.refresh_from_db()
    return scenario


def test_the_chief_sets_costs_and_every_scenario_follows(demo: District) -> None:
    client = Client()
    client.force_login(_user("demo-chief"))
    refused = client.post(
        "/planning/costs/", {"officer": "-5", "vehicle": "9000", "safety_administrator": "60000"}
    )
    assert refused.status_code == 400
    assert PlanningCosts.objects.count() == 0
    saved = client.post(
        "/planning/costs/",
        {"officer": "100000", "vehicle": "10000", "safety_administrator": "60000"},
    )
    assert saved.status_code == 302
    few, more = _run(demo, 10), _run(demo, 12)
    assert (few.status, more.status) == ("done", "done"), (few.error, more.error)
    figures = scenario_comparison_for_user(user=_user("demo-chief"), scenario_ids=[few.pk, more.pk])
    sas = safety_administrator_posts(district_id=demo.pk)
    assert sas > 0
    assert figures[0].cost.total == 10 * 110_000 + sas * 60_000
    assert figures[1].cost.total == 12 * 110_000 + sas * 60_000
    saved_minutes = figures[0].p90_minutes - figures[1].p90_minutes
    assert saved_minutes > 0
    assert figures[1].cost_per_minute_saved == pytest.approx(2 * 110_000 / saved_minutes)
    page = client.get(f"/planning/compare/?ids={few.pk}&ids={more.pk}").content.decode()
    assert f"${10 * 110_000 + sas * 60_000:,}" in page
    detail = client.get(f"/planning/{few.pk}/").content.decode()
    assert "Annual cost" in detail


def test_an_sa_cannot_set_planning_costs(demo: District) -> None:
    client = Client()
    client.force_login(_user("demo-sa"))
    response = client.post(
        "/planning/costs/", {"officer": "1", "vehicle": "1", "safety_administrator": "1"}
    )
    assert response.status_code == 403
    assert PlanningCosts.objects.count() == 0
