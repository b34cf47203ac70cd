"""Planning scenarios: run in the background, compare, adopt with dated history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from planning.io.schools import read_schools
from planning.scenario import design
from planning.travel import HaversineTravel
from safeops.access import current_filter
from safeops.core.jobs import run_due_jobs
from safeops.scenarios.models import Scenario, ScenarioStatus
from safeops.scenarios.selectors import progress_words
from safeops.scenarios.services import (
    ALREADY_ADOPTED,
    NEED_OFFICERS_OR_TARGET,
    scenario_adopt,
    scenario_create,
)
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from safeops.zones.models import Zone, ZoneMembership
from tests.planning.conftest import TINY_CSV
from tests.safeops.factories import ScenarioDistrict


def _chief() -> object:
    return Person.objects.get(user__username="demo-chief").user


def _run(district: District, **kwargs: object) -> Scenario:
    scenario = scenario_create(district=district, name="test", actor=_chief(), **kwargs)  # type: ignore[arg-type]
    assert run_due_jobs() == 1
    scenario.refresh_from_db()
    return scenario


def test_a_scenario_needs_an_officer_count_or_a_target(demo: District) -> None:
    with pytest.raises(ValidationError) as error:
        scenario_create(district=demo, name="x", actor="system:test")
    assert error.value.message_dict == {"officers": [NEED_OFFICERS_OR_TARGET]}
    with pytest.raises(ValidationError):
        scenario_create(district=demo, name="x", actor="system:test", officers=5, target_minutes=10)


def test_a_run_covers_every_active_school_with_aligned_zones(demo: District) -> None:
    scenario = _run(demo, officers=12)
    assert scenario.status == ScenarioStatus.DONE, scenario.error
    summary = scenario.summary
    assert summary is not None
    assert summary["officers"] == 12
    covered = [int(i) for zone in summary["zones"] for i in zone["school_ids"]]
    assert sorted(covered) == sorted(
        School.objects.filter(active=True).values_list("pk", flat=True)
    )
    schools = {s.pk: s for s in School.objects.select_related("feeder_high_school")}
    for zone in summary["zones"]:
        if zone["dedicated"]:
            assert len(zone["school_ids"]) == 1
            continue
        assert 3 <= len(zone["school_ids"]) <= 7
        feeders = {schools[int(i)].feeder_high_school for i in zone["school_ids"]} - {None}
        assert len({f.name for f in feeders if f}) <= 1  # one high school per zone
    assert summary["response"]["mean"] > 0
    assert summary["gap"] is not None
    assert scenario.job is not None and scenario.job.progress == 1.0


def test_too_few_officers_fail_with_the_minimum_named(demo: District) -> None:
    scenario = _run(demo, officers=2)
    assert scenario.status == ScenarioStatus.FAILED
    assert "need at least" in scenario.error
    # The page names its own fields, not the command line's flags.
    assert "--" not in scenario.error
    assert "“Officers”" in scenario.error or "“Most schools per zone”" in scenario.error


def test_adoption_creates_zones_moves_officers_and_keeps_history(demo: District) -> None:
    scenario = _run(demo, officers=12)
    before = set(ZoneMembership.objects.filter(ends_on__isnull=True).values_list("pk", flat=True))
    officers_before = Assignment.objects.filter(person__role=Role.SSO, ends_on__isnull=True).count()
    effective = timezone.localdate() + dt.timedelta(days=7)

    report = scenario_adopt(scenario=scenario, effective_on=effective, actor=_chief())  # type: ignore[arg-type]

    current = ZoneMembership.objects.filter(current_filter(effective))
    assert current.count() == School.objects.filter(active=True).count()
    zones_now = Zone.objects.filter(pk__in=current.values("zone_id"))
    assert zones_now.count() == 12
    assert set(zones_now.values_list("name", flat=True)) == set(
        report.zones_created + report.zones_updated
    )
    # today's memberships still hold until the effective date; none was deleted
    assert before <= set(ZoneMembership.objects.values_list("pk", flat=True))
    today = ZoneMembership.objects.filter(current_filter(timezone.localdate()))
    assert today.count() == School.objects.count()
    officers_after = Assignment.objects.filter(current_filter(effective), person__role=Role.SSO)
    assert officers_after.count() == min(officers_before, 12)
    assert len(report.officers_kept) + len(report.officers_moved) == officers_after.count()
    assert len(report.zones_uncovered) == 12 - officers_after.count()
    scenario.refresh_from_db()
    assert scenario.adopted_effective_on == effective
    with pytest.raises(ValidationError) as error:
        scenario_adopt(scenario=scenario, effective_on=effective, actor="system:test")
    assert error.value.messages == [ALREADY_ADOPTED.format(day=effective)]


PLANNING_ROLES = {Role.SECURITY_CHIEF, Role.DISPATCHER}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_planning_pages_are_for_district_security_leadership(
    scenario: ScenarioDistrict, role: Role
) -> None:
    planned = scenario_create(
        district=scenario.district, name="visible?", actor="system:test", officers=2
    )
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    expected = 200 if role in PLANNING_ROLES else 403
    assert client.get("/planning/").status_code == expected
    assert client.get(f"/planning/{planned.pk}/").status_code == expected
    adopt = client.post(f"/planning/{planned.pk}/adopt/", {"effective_on": "2099-01-01"})
    assert adopt.status_code == (302 if role == Role.SECURITY_CHIEF else 403)


def test_the_form_queues_a_run_and_the_page_polls_until_done(demo: District) -> None:
    client = Client()
    client.force_login(_chief())  # type: ignore[arg-type]
    response = client.post(
        "/planning/",
        {
            "name": "Twelve",
            "officers": "12",
            "percentile": "90",
            "min_size": "3",
            "max_size": "7",
            "dedicated_levels": ["alternative"],
            "aligned": "on",
            "seed": "0",
        },
    )
    assert response.status_code == 302
    scenario = Scenario.objects.get(name="Twelve")
    polling = client.get(f"/planning/{scenario.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in polling.content.decode()
    run_due_jobs()
    done = client.get(f"/planning/{scenario.pk}/", headers={"HX-Request": "true"})
    assert "every 1s" not in done.content.decode()
    assert "Done" in done.content.decode()
    compare = client.get(f"/planning/compare/?ids={scenario.pk}")
    assert "Twelve" in compare.content.decode()
    layers = client.get(f"/planning/compare/layers.json?ids={scenario.pk}").json()
    assert len(layers["scenarios"][0]["zones"]["features"]) == 12


def test_a_form_without_count_or_target_is_refused_with_a_reason(demo: District) -> None:
    client = Client()
    client.force_login(_chief())  # type: ignore[arg-type]
    response = client.post(
        "/planning/",
        {"name": "x", "percentile": "90", "min_size": "3", "max_size": "7", "seed": "0"},
    )
    assert response.status_code == 400
    assert "Give either an officer count or a response target." in response.content.decode()
    assert not Scenario.objects.exists()


def test_a_stale_copy_cannot_adopt_a_scenario_twice(demo: District) -> None:
    scenario = _run(demo, officers=12)
    stale = Scenario.objects.get(pk=scenario.pk)
    effective = timezone.localdate() + dt.timedelta(days=7)
    scenario_adopt(scenario=scenario, effective_on=effective, actor="system:test")
    assert stale.adopted_at is None  # another dispatcher's page loaded before the adoption
    with pytest.raises(ValidationError) as error:
        scenario_adopt(scenario=stale, effective_on=effective, actor="system:test")
    assert error.value.messages == [ALREADY_ADOPTED.format(day=effective)]


def test_a_target_scenario_shows_the_simulation_confirmed_answer(demo: District) -> None:
    scenario = _run(demo, target_minutes=8, percentile=80)
    target = scenario.summary["target"]  # type: ignore[index]
    assert target["confirmed_by"] == "simulation"
    client = Client()
    client.force_login(_chief())  # type: ignore[arg-type]
    page = client.get(f"/planning/{scenario.pk}/").content.decode()
    found = target["smallest_officers"]
    if found is not None:
        headline = f"{found} officers reach 80% of calls within 8 minutes, confirmed by simulation"
        assert headline in page
        assert "95% confidence interval" in page
    assert "Officer counts simulated" in page
    for point in target["simulation"]:
        assert f"<td>{point['officers']}</td>" in page


def test_an_equity_scenario_reports_the_worst_school_and_the_curve(demo: District) -> None:
    scenario = _run(demo, officers=12, equity=0.5, equity_curve=True)
    summary = scenario.summary or {}
    assert summary["equity"] == 0.5
    assert [p["equity"] for p in summary["equity_curve"]] == [0.0, 0.25, 0.5, 0.75, 1.0]
    client = Client()
    client.force_login(_chief())  # type: ignore[arg-type]
    page = client.get(f"/planning/{scenario.pk}/").content.decode()
    worst = summary["school_travel"]["worst_school_name"]
    assert f"Farthest school from its officer's post: {worst}" in page
    assert "The average call against the worst-served school" in page


def test_an_equity_outside_0_to_1_is_refused_on_its_field(demo: District) -> None:
    with pytest.raises(ValidationError) as error:
        scenario_create(district=demo, name="x", actor="system:test", officers=5, equity=2.0)
    assert "equity" in error.value.message_dict


def test_every_progress_step_the_planner_reports_is_shown_in_spanish() -> None:
    """The planner (plain Python) reports its steps in English; the page translates them by
    their text (`progress_words`): a step the planner renames must fail here, not go English."""
    schools = read_schools(TINY_CSV)
    said: list[str] = []
    runs: list[dict[str, Any]] = [
        {"officers": 5, "with_equity_curve": True},
        {"target_minutes": 6.0, "percentile": 80.0, "response_method": "approximation"},
    ]
    for run in runs:
        design(
            schools=schools,
            travel=HaversineTravel(),
            min_size=1,
            max_size=4,
            on_progress=lambda _fraction, message: said.append(message),
            **run,
        )
    assert len(set(said)) >= 7
    with translation.override("es"):
        assert [message for message in said if progress_words(message) == message] == []
