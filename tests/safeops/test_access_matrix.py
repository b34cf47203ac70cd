"""The access matrix: every role × object scope, through the web views, the API and the admin.

The expected table is written out by hand from the district's rules, not computed from
safeops.access, so a change in the rules that was not meant shows here.
- district-wide roles see every record; school- and zone-based roles see their own
  assignment only; the community monitor sees no individual record;
- only the security chief changes the district model.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safeops.staff.choices import Role
from tests.safeops.access_tables import ALL, OWN, SCHOOL_RECORDS
from tests.safeops.factories import ScenarioDistrict, UserFactory

pytestmark = pytest.mark.shared_scenario

EXPECTED_VIEW = SCHOOL_RECORDS
CAN_CHANGE = {Role.SECURITY_CHIEF}
RESOURCES = ("school", "zone", "assignment", "person")
SCOPES = ("own", "other")


def expected_visible(role: Role, scope: str) -> bool:
    reach = EXPECTED_VIEW[role]
    return reach == ALL or (reach == OWN and scope == "own")


def target(s: ScenarioDistrict, resource: str, scope: str) -> object:
    own = scope == "own"
    return {
        "school": s.school_a if own else s.school_b,
        "zone": s.zone_a if own else s.zone_b,
        "assignment": s.assignment_a if own else s.assignment_b,
        "person": s.people[Role.SAFETY_ADMINISTRATOR] if own else s.person_b,
    }[resource]


def _web_sees(client: Client, s: ScenarioDistrict, resource: str, obj: object) -> bool:
    if resource == "school":
        return client.get(f"/schools/{obj.pk}/").status_code == 200  # type: ignore[attr-defined]
    if resource == "zone":
        return client.get(f"/zones/{obj.pk}/").status_code == 200  # type: ignore[attr-defined]
    response = client.get("/staff/")
    if response.status_code != 200:
        return False
    name = obj.person.full_name if resource == "assignment" else obj.full_name  # type: ignore[attr-defined]
    return name in response.content.decode()


def _api_sees(client: Client, s: ScenarioDistrict, resource: str, obj: object) -> bool:
    if resource in ("school", "zone"):
        return client.get(f"/api/{resource}s/{obj.pk}").status_code == 200  # type: ignore[attr-defined]
    response = client.get("/api/assignments")
    if response.status_code != 200:
        return False
    rows = response.json()
    if resource == "assignment":
        return any(row["id"] == obj.pk for row in rows)  # type: ignore[attr-defined]
    return any(row["person_id"] == obj.pk for row in rows)  # type: ignore[attr-defined]


def _admin_sees(client: Client, s: ScenarioDistrict, resource: str, obj: object) -> bool:
    app = {"school": "schools", "zone": "zones", "assignment": "staff", "person": "staff"}[resource]
    response = client.get(f"/admin/{app}/{resource}/{obj.pk}/change/")  # type: ignore[attr-defined]
    return response.status_code == 200


SURFACES: dict[str, Callable[[Client, ScenarioDistrict, str, object], bool]] = {
    "web": _web_sees,
    "api": _api_sees,
    "admin": _admin_sees,
}


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_view_access_matches_the_matrix(
    scenario: ScenarioDistrict, role: Role, surface: str
) -> None:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    mismatches = []
    for resource in RESOURCES:
        for scope in SCOPES:
            seen = SURFACES[surface](client, scenario, resource, target(scenario, resource, scope))
            if seen != expected_visible(role, scope):
                mismatches.append(
                    f"{resource}/{scope}: saw={seen} expected={expected_visible(role, scope)}"
                )
    assert mismatches == [], f"{role.value} via {surface}"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_change_access_matches_the_matrix(scenario: ScenarioDistrict, role: Role) -> None:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    mismatches = []
    for scope in SCOPES:
        school = target(scenario, "school", scope)
        api = client.patch(
            f"/api/schools/{school.pk}",  # type: ignore[attr-defined]
            data={"enrollment": 999},
            content_type="application/json",
        )
        api_changed = api.status_code == 200
        admin_page = client.get(f"/admin/schools/school/{school.pk}/change/")  # type: ignore[attr-defined]
        admin_can_save = (
            admin_page.status_code == 200 and 'name="_save"' in admin_page.content.decode()
        )
        expected = role in CAN_CHANGE
        for surface, changed in (("api", api_changed), ("admin", admin_can_save)):
            if changed != expected:
                mismatches.append(
                    f"{surface} school/{scope}: changed={changed} expected={expected}"
                )
    assert mismatches == []


def test_anonymous_user_sees_nothing(scenario: ScenarioDistrict) -> None:
    client = Client()
    assert client.get(f"/schools/{scenario.school_a.pk}/").status_code == 302
    assert client.get(f"/api/schools/{scenario.school_a.pk}").status_code == 401
    assert client.get("/admin/schools/school/").status_code == 302
    assert client.get("/map/layers.json").status_code == 302


def test_login_without_a_staff_role_sees_nothing(scenario: ScenarioDistrict) -> None:
    client = Client()
    client.force_login(UserFactory(username="no-role"))
    assert client.get(f"/schools/{scenario.school_a.pk}/").status_code == 403
    assert client.get("/api/schools").status_code == 403
    assert client.get("/admin/").status_code == 302
