"""The SA home lists everything due this week, each item linking to where it is done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from safeops.drills.models import DrillType
from safeops.drills.services import CorrectiveActionInput, drill_log
from safeops.facilities.services import facility_audit_record, facility_defaults_seed
from safeops.home.workspace import due_this_week_for_user
from safeops.incidents.models import IncidentKind
from safeops.incidents.services import incident_record
from safeops.staff.choices import Role
from tests.safeops.drills.helpers import kentucky_year
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario


def test_the_sa_home_gathers_drills_plans_findings_and_follow_ups(
    scenario: ScenarioDistrict,
) -> None:
    today = timezone.localdate()
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    kentucky_year(scenario.district, start_year=today.year if today.month >= 8 else today.year - 1)
    template = facility_defaults_seed(district=scenario.district, actor="system:test")
    for school in (scenario.school_a, scenario.school_b):
        facility_audit_record(
            school=school,
            template=template,
            conducted_on=today,
            results={
                item.pk: ("fail" if item.code == "safe_zones" else "pass", "")
                for item in template.items.all()
            },
            actor="system:test",
        )
        incident_record(
            school=school,
            kind=IncidentKind.HAZARD,
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            place="Boiler room",
            summary="Gas smell",
            actions_taken="Evacuated the wing; utility called",
            follow_up_on=today + dt.timedelta(days=2),
            actor="system:test",
        )
    drill_log(
        school=scenario.school_a,
        drill_type=DrillType.objects.get(district=scenario.district, code="fire"),
        started_at=timezone.now() - dt.timedelta(hours=3),
        duration_minutes=9,
        participants=300,
        corrective_actions=[
            CorrectiveActionInput(
                "Fix the gym strobe", scenario.people[Role.PRINCIPAL], today + dt.timedelta(days=1)
            )
        ],
        actor="system:test",
    )
    items = due_this_week_for_user(user=sa)
    areas = {item.area for item in items}
    assert {"Drill", "Safety plan", "Facility", "Incident"} <= areas
    assert any(i.text.startswith("Corrective action: Fix the gym strobe") for i in items)
    assert {item.school for item in items} == {"A Middle"}
    plan = next(i for i in items if i.area == "Safety plan")
    assert plan.text == "No safety plan for this school year yet" and plan.url == "/plans/"
    client = Client()
    client.force_login(sa)  # type: ignore[arg-type]
    page = client.get("/").content.decode()
    assert 'id="due-this-week"' in page
    for item in items:
        assert f'href="{item.url}"' in page
    assert "B Middle" not in page.split('id="due-this-week"')[1].split("</section>")[0]


def test_other_roles_get_no_panel(scenario: ScenarioDistrict) -> None:
    client = Client()
    client.force_login(scenario.users[Role.DISPATCHER])  # type: ignore[arg-type]
    assert 'id="due-this-week"' not in client.get("/").content.decode()
