"""Acceptance 1: who may read a case, over every role × (own school / other school) × (team
member / not) × (law enforcement consultation yes / no), through the page, the API and the
admin. The expected table is written from the issue, not computed from safeops.access:
the case team, the school's SA and principal, the district lead; an SSO only when a recorded
consultation names them, and only that case; nobody else."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from django.utils import timezone

from safeops.staff.choices import Role
from safeops.threats.models import ThreatLead, Tip
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.threats.helpers import make_case

pytestmark = pytest.mark.shared_scenario

SCHOOL_LEADERS = {Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL}
COMBOS = list(itertools.product(("own", "other"), (True, False), (True, False)))


def expected(role: Role, school: str, team: bool, consultation: bool) -> bool:
    if role == Role.COMMUNITY_MONITOR:
        return False
    if role == Role.SSO:
        return consultation  # only through a consultation naming them; the team grants nothing
    return team or (role in SCHOOL_LEADERS and school == "own")


def _web(client: Client, case_id: int) -> bool:
    return client.get(f"/threats/cases/{case_id}/").status_code == 200


def _api(client: Client, case_id: int) -> bool:
    return client.get(f"/api/threat-cases/{case_id}").status_code == 200


def _admin(client: Client, case_id: int) -> bool:
    return client.get(f"/admin/threats/threatcase/{case_id}/change/").status_code == 200


SURFACES = {"web": _web, "api": _api, "admin": _admin}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_case_access_matrix(scenario: ScenarioDistrict, role: Role) -> None:
    me = scenario.people[role]
    sso = scenario.people[Role.SSO]
    cases = {}
    for school, team, consultation in COMBOS:
        cases[(school, team, consultation)] = make_case(
            scenario.school_a if school == "own" else scenario.school_b,
            team=[me] if team else [],
            officer=(me if role == Role.SSO else sso) if consultation else None,
        )
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    mismatches = []
    for combo, case in cases.items():
        for surface, sees in SURFACES.items():
            seen = sees(client, case.pk)
            if seen != expected(role, *combo):
                mismatches.append(
                    f"{surface} {combo}: saw={seen} expected={expected(role, *combo)}"
                )
    assert mismatches == []


@pytest.mark.parametrize("role", [Role.VIOLENCE_PREVENTION_SPECIALIST, Role.SECURITY_CHIEF])
def test_the_designated_lead_reads_every_case_of_the_district(
    scenario: ScenarioDistrict, role: Role
) -> None:
    case_b = make_case(scenario.school_b)
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    assert not _web(client, case_b.pk)  # no designation: like everyone else
    ThreatLead.objects.create(
        district=scenario.district, person=scenario.people[role], starts_on=timezone.localdate()
    )
    assert all(sees(client, case_b.pk) for sees in SURFACES.values())
    assert client.get("/threats/fairness/").status_code == 200
    assert client.get("/threats/audit/").status_code == 200


def test_fairness_and_audit_pages_are_for_the_lead_only(scenario: ScenarioDistrict) -> None:
    for role in Role:
        client = Client()
        client.force_login(scenario.users[role])  # type: ignore[arg-type]
        assert client.get("/threats/fairness/").status_code == 403, role
        assert client.get("/threats/audit/").status_code == 403, role


def test_sso_reads_but_never_changes_a_consulted_case(scenario: ScenarioDistrict) -> None:
    sso = scenario.people[Role.SSO]
    case = make_case(scenario.school_a, officer=sso)
    client = Client()
    client.force_login(scenario.users[Role.SSO])  # type: ignore[arg-type]
    assert _web(client, case.pk)
    response = client.post(f"/threats/cases/{case.pk}/record/", {"kind": "note", "body": "x"})
    assert response.status_code == 404
    assert not case.records.exists()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_tip_queue_access(scenario: ScenarioDistrict, role: Role) -> None:
    tips = {}
    for key, school in (("own", scenario.school_a), ("other", scenario.school_b)):
        tip = Tip(district=scenario.district, school=school, urgency="soon", code=f"CODE-{key}")
        tip.what = "threat"
        tip.save()
        tips[key] = tip
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    for key, tip in tips.items():
        seen = {
            "web": client.get(f"/threats/tips/{tip.pk}/").status_code == 200,
            "api": client.get(f"/api/tips/{tip.pk}").status_code == 200,
            "admin": client.get(f"/admin/threats/tip/{tip.pk}/change/").status_code == 200,
        }
        want = role in SCHOOL_LEADERS and key == "own"
        assert seen == {"web": want, "api": want, "admin": want}, (role, key)
