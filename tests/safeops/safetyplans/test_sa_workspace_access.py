"""Acceptance 3: the SA workspace's access table, role × scope, through the pages.

Written out by hand from the district's rules (safeops.access, docs/sa-workspace.md):
- safety plans, floor plans, drills and facility audits: the school's staff roles and its
  zone SSO see their own school's; district roles see all; community monitors nothing;
- the incident log: the school's SA, principal and SSO see their own school's; the chief,
  mental health practitioners and violence prevention specialists see all; others nothing;
- an SA at another school, a community monitor and an anonymous user see nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from safeops.core.models import AuditEntry
from safeops.facilities.services import facility_audit_record, facility_defaults_seed
from safeops.incidents.models import IncidentKind
from safeops.incidents.services import incident_record
from safeops.safetyplans.services import attachment_add, plan_create, plan_save_version
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from tests.safeops.access_tables import ALL, NONE, OWN, SCHOOL_RECORDS
from tests.safeops.drills.helpers import kentucky_year, log
from tests.safeops.factories import PersonFactory, ScenarioDistrict, UserFactory

pytestmark = pytest.mark.shared_scenario

PLAN_DRILL_FACILITY = SCHOOL_RECORDS
INCIDENTS = {
    Role.SECURITY_CHIEF: ALL,
    Role.DISPATCHER: NONE,
    Role.SSO: OWN,
    Role.SAFETY_ADMINISTRATOR: OWN,
    Role.PRINCIPAL: OWN,
    Role.MENTAL_HEALTH_PRACTITIONER: ALL,
    Role.COUNSELOR: NONE,
    Role.SECURITY_MONITOR: NONE,
    Role.COURT_LIAISON: NONE,
    Role.VIOLENCE_PREVENTION_SPECIALIST: ALL,
    Role.TRAINING_COORDINATOR: NONE,
    Role.COMMUNITY_MONITOR: NONE,
}
PDF = b"%PDF-1.7\n% floor plan\n"


@dataclass
class Workspace:
    plans: dict[str, int]
    files: dict[str, int]
    audits: dict[str, int]
    incidents: dict[str, int]
    schools: dict[str, School]


@pytest.fixture
def workspace(scenario: ScenarioDistrict) -> Workspace:
    admin = UserFactory(username="root", is_superuser=True)
    year = kentucky_year(scenario.district, start_year=timezone.localdate().year - 1)
    template = facility_defaults_seed(district=scenario.district, actor="system:test")
    out = Workspace({}, {}, {}, {}, {"own": scenario.school_a, "other": scenario.school_b})
    for scope, school in out.schools.items():
        plan = plan_create(school=school, school_year=year, actor=admin)
        plan_save_version(plan=plan, sections={"fire": f"{scope} secret route"}, actor=admin)
        upload = SimpleUploadedFile("floor.pdf", PDF, content_type="application/pdf")
        attachment = attachment_add(
            plan=plan, kind="floor_plan", title="Floor", upload=upload, actor=admin
        )
        log(school, "fire", year.first_day)
        audit = facility_audit_record(
            school=school,
            template=template,
            conducted_on=year.first_day,
            results={item.pk: ("pass", "") for item in template.items.all()},
            actor=admin,
        )
        incident = incident_record(
            school=school,
            kind=IncidentKind.MEDICAL,
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            place="Gym",
            summary="Student fainted",
            actions_taken="Nurse responded",
            actor=admin,
        )
        out.plans[scope], out.files[scope] = plan.pk, attachment.pk
        out.audits[scope], out.incidents[scope] = audit.pk, incident.pk
    return out


def _seen(client: Client, w: Workspace, scope: str) -> dict[str, bool]:
    school = w.schools[scope].pk

    def ok(url: str) -> bool:
        return client.get(url).status_code == 200

    plans_page = client.get("/plans/")
    return {
        "plan": ok(f"/plans/{w.plans[scope]}/"),
        "plan-list": plans_page.status_code == 200
        and f"/plans/{w.plans[scope]}/" in plans_page.content.decode(),
        "floor-plan": ok(f"/plans/files/{w.files[scope]}/"),
        "drills": ok(f"/drills/schools/{school}/"),
        "facility": ok(f"/facilities/schools/{school}/"),
        "audit": ok(f"/facilities/audits/{w.audits[scope]}/"),
        "incident": ok(f"/incidents/{w.incidents[scope]}/"),
    }


def _expected(table: dict[Role, str], role: Role, scope: str) -> bool:
    return table[role] == ALL or (table[role] == OWN and scope == "own")


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_workspace_access_matches_the_table(
    scenario: ScenarioDistrict, workspace: Workspace, role: Role
) -> None:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    mismatches = []
    for scope in ("own", "other"):
        seen = _seen(client, workspace, scope)
        for surface, visible in seen.items():
            table = INCIDENTS if surface == "incident" else PLAN_DRILL_FACILITY
            if visible != _expected(table, role, scope):
                mismatches.append(f"{surface}/{scope}: saw={visible}")
    assert mismatches == [], role.value


def test_an_sa_at_another_school_sees_nothing_of_this_one(
    scenario: ScenarioDistrict, workspace: Workspace
) -> None:
    other_sa = PersonFactory(
        district=scenario.district,
        role=Role.SAFETY_ADMINISTRATOR,
        user=UserFactory(username="sa-b"),
    )
    Assignment.objects.create(
        person=other_sa, school=scenario.school_b, starts_on=timezone.localdate()
    )
    client = Client()
    client.force_login(other_sa.user)  # type: ignore[arg-type]
    seen = _seen(client, workspace, "own")
    assert not any(seen.values()), seen
    assert _seen(client, workspace, "other")["plan"]
    assert "own secret route" not in client.get("/plans/").content.decode()


def test_anonymous_users_are_sent_to_log_in_and_see_nothing(workspace: Workspace) -> None:
    client = Client()
    for url in (
        f"/plans/{workspace.plans['own']}/",
        f"/plans/files/{workspace.files['own']}/",
        f"/drills/schools/{workspace.schools['own'].pk}/",
        f"/facilities/audits/{workspace.audits['own']}/",
        f"/incidents/{workspace.incidents['own']}/",
        "/plans/",
        "/drills/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_reading_a_plan_or_a_floor_plan_is_audited(
    scenario: ScenarioDistrict, workspace: Workspace
) -> None:
    client = Client()
    client.force_login(scenario.users[Role.SSO])  # type: ignore[arg-type]
    client.get(f"/plans/{workspace.plans['own']}/")
    client.get(f"/plans/files/{workspace.files['own']}/")
    views = AuditEntry.objects.filter(action="view", actor_label="sso-a")
    assert set(views.values_list("model", flat=True)) == {
        "safetyplans.safetyplan",
        "safetyplans.planattachment",
    }
