"""Acceptance 4: the referral access matrix, every role × scope, on the pages, API and admin.

The expected table is written by hand from the rules in docs/referrals.md, not computed from
safeops.access. Scopes: `mine` (the user made the referral, at school A), `own` (someone else
made it at school A, the user's area), `other` (school B). `mine` exists only for the roles
that make referrals.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safeops.core.models import AuditEntry
from safeops.referrals.models import Referral
from safeops.resources.categories import Category
from safeops.staff.choices import Role
from tests.safeops.factories import PersonFactory, ScenarioDistrict, UserFactory
from tests.safeops.referrals.helpers import make_service, refer

pytestmark = pytest.mark.shared_scenario

Y, N, NA = True, False, None
# role: (mine, own school, other school) — sees and updates the referral
EXPECTED: dict[Role, tuple[bool | None, bool, bool]] = {
    Role.SECURITY_CHIEF: (NA, N, N),
    Role.DISPATCHER: (NA, N, N),
    Role.SSO: (Y, N, N),
    Role.SAFETY_ADMINISTRATOR: (Y, Y, N),
    Role.PRINCIPAL: (NA, N, N),
    Role.MENTAL_HEALTH_PRACTITIONER: (Y, Y, Y),
    Role.COUNSELOR: (Y, Y, N),
    Role.SECURITY_MONITOR: (NA, N, N),
    Role.COURT_LIAISON: (NA, Y, Y),
    Role.VIOLENCE_PREVENTION_SPECIALIST: (NA, Y, Y),
    Role.TRAINING_COORDINATOR: (NA, N, N),
    Role.COMMUNITY_MONITOR: (NA, N, N),
}
# Who sees the district aggregates (never individual referrals through them).
STATS_ROLES = {
    Role.SECURITY_CHIEF,
    Role.MENTAL_HEALTH_PRACTITIONER,
    Role.COURT_LIAISON,
    Role.VIOLENCE_PREVENTION_SPECIALIST,
    Role.COMMUNITY_MONITOR,
}
SCOPES = ("mine", "own", "other")


def _targets(s: ScenarioDistrict, role: Role) -> dict[str, Referral | None]:
    service = make_service("Harbor House", category=Category.SHELTER, near=s.school_a)
    other_mhp = PersonFactory(
        district=s.district,
        role=Role.MENTAL_HEALTH_PRACTITIONER,
        user=UserFactory(username="mhp-2"),
    )
    mine = None
    if EXPECTED[role][0] is not NA:
        school = s.high_a if role == Role.SSO else s.school_a
        mine = refer(s.users[role], school, service)
    return {
        "mine": mine,
        "own": refer(other_mhp.user, s.school_a, service),
        "other": refer(other_mhp.user, s.school_b, service),
    }


def _web(client: Client, referral: Referral) -> bool:
    return client.get(f"/referrals/{referral.pk}/").status_code == 200


def _api(client: Client, referral: Referral) -> bool:
    return client.get(f"/api/referrals/{referral.pk}").status_code == 200


def _admin(client: Client, referral: Referral) -> bool:
    return client.get(f"/admin/referrals/referral/{referral.pk}/change/").status_code == 200


def _list(client: Client, referral: Referral) -> bool:
    response = client.get("/api/referrals")
    return response.status_code == 200 and referral.pk in {r["id"] for r in response.json()}


SURFACES: dict[str, Callable[[Client, Referral], bool]] = {
    "web": _web,
    "api": _api,
    "api-list": _list,
    "admin": _admin,
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_view_access_matches_the_matrix(scenario: ScenarioDistrict, role: Role) -> None:
    targets = _targets(scenario, role)
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    mismatches = []
    for scope, expected in zip(SCOPES, EXPECTED[role], strict=True):
        referral = targets[scope]
        if expected is NA or referral is None:
            continue
        for surface, sees in SURFACES.items():
            seen = sees(client, referral)
            if seen != expected:
                mismatches.append(f"{surface} {scope}: saw={seen} expected={expected}")
    assert mismatches == [], role.value


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_change_access_matches_the_matrix(scenario: ScenarioDistrict, role: Role) -> None:
    targets = _targets(scenario, role)
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    mismatches = []
    for scope, expected in zip(SCOPES, EXPECTED[role], strict=True):
        referral = targets[scope]
        if expected is NA or referral is None:
            continue
        api = client.post(
            f"/api/referrals/{referral.pk}/transition",
            data={"to_status": "contacted"},
            content_type="application/json",
        )
        web = client.post(f"/referrals/{referral.pk}/status/", {"to_status": "accepted"})
        referral.refresh_from_db()
        changed = (api.status_code, referral.status) == (200, "accepted")
        if changed != expected:
            mismatches.append(f"{scope}: api={api.status_code} web={web.status_code}")
        admin_page = client.get(f"/admin/referrals/referral/{referral.pk}/change/")
        if 'name="_save"' in admin_page.content.decode():
            mismatches.append(f"{scope}: the admin offers a save (it is read-only)")
    assert mismatches == [], role.value


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_who_may_refer_at_which_school(scenario: ScenarioDistrict, role: Role) -> None:
    service = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    made = {}
    for scope, school in (("own", scenario.school_a), ("other", scenario.school_b)):
        response = client.post(
            "/api/referrals",
            data={
                "school_id": school.pk,
                "service_id": service.pk,
                "student_initials": "AB",
                "grade": "9",
                "consent": {
                    "given_by": "parent_guardian",
                    "given_on": "2026-01-05",
                    "scope": "two_way",
                },
                "handoff_note": "Family asked for help finding a place to stay.",
            },
            content_type="application/json",
        )
        made[scope] = response.status_code == 201
    referrers = {
        Role.SAFETY_ADMINISTRATOR: (Y, N),
        Role.COUNSELOR: (Y, N),
        Role.SSO: (Y, N),
        Role.MENTAL_HEALTH_PRACTITIONER: (Y, Y),
    }
    assert (made["own"], made["other"]) == referrers.get(role, (N, N))


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_aggregates_are_for_the_district_roles_only(scenario: ScenarioDistrict, role: Role) -> None:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    expected = role in STATS_ROLES
    assert (client.get("/referrals/stats/").status_code == 200) == expected
    assert (client.get("/api/referrals/stats").status_code == 200) == expected


def test_anonymous_sees_nothing(scenario: ScenarioDistrict) -> None:
    service = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    referral = refer(scenario.users[Role.SAFETY_ADMINISTRATOR], scenario.school_a, service)
    client = Client()
    assert client.get(f"/referrals/{referral.pk}/").status_code == 302
    assert client.get(f"/api/referrals/{referral.pk}").status_code == 401
    assert client.get(f"/admin/referrals/referral/{referral.pk}/change/").status_code == 302


def test_every_read_is_audited(scenario: ScenarioDistrict) -> None:
    service = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    referral = refer(sa, scenario.school_a, service)
    client = Client()
    client.force_login(sa)  # type: ignore[arg-type]
    views = AuditEntry.objects.filter(
        action="view", model="referrals.referral", object_id=str(referral.pk)
    )
    client.get(f"/referrals/{referral.pk}/")
    client.get(f"/api/referrals/{referral.pk}")
    client.get(f"/admin/referrals/referral/{referral.pk}/change/")
    assert list(views.values_list("actor_label", "note")) == [
        ("safety_administrator-a", "admin"),
        ("safety_administrator-a", "referral"),
        ("safety_administrator-a", "referral"),
    ]
    client.get("/referrals/")
    listing = AuditEntry.objects.filter(action="export", model="referrals.referral").get()
    assert (listing.object_repr, listing.note) == ("1 rows", "referral list")
