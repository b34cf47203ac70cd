"""The onboarding checklist: one entry per plan category, done by a contact with or a referral
to a provider in that category serving the person's schools; supervisors see progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.html import escape

from safeops.referrals.choices import ContactMethod
from safeops.referrals.onboarding import Evidence, ServiceReach, checklist, distance_km, serves
from safeops.referrals.selectors import onboarding_for_person, onboarding_team_for_user
from safeops.referrals.services import provider_contact_record
from safeops.resources.categories import PLAN_CATEGORIES, Category
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.referrals.helpers import make_service, refer

pytestmark = pytest.mark.shared_scenario

SCHOOL = (38.0, -85.0)


def test_distance_is_the_great_circle() -> None:
    # One degree of latitude: 2π × 6371.0088 km / 360 = 111.195 km.
    assert distance_km((38.0, -85.0), (39.0, -85.0)) == pytest.approx(111.195, abs=0.001)


def test_a_service_serves_a_school_within_the_radius_or_district_wide() -> None:
    near = ServiceReach(1, "Near", frozenset({"shelter"}), ((38.1, -85.0),))  # 11.1 km
    assert serves(near, [SCHOOL], radius_km=16)
    assert not serves(near, [SCHOOL], radius_km=11)
    assert serves(ServiceReach(2, "Hotline", frozenset({"shelter"}), ()), [SCHOOL], 16)


def test_the_earliest_qualifying_evidence_marks_a_category_done() -> None:
    far = ServiceReach(1, "Far", frozenset({"shelter"}), ((39.0, -85.0),))
    near = ServiceReach(2, "Near", frozenset({"shelter", "mental_health"}), ((38.05, -85.0),))
    entries = checklist(
        categories=[("shelter", "Shelters"), ("mental_health", "MH"), ("substance_abuse", "SA")],
        evidence=[
            Evidence(far, dt.date(2026, 8, 1), "contact"),
            Evidence(near, dt.date(2026, 9, 3), "referral"),
            Evidence(near, dt.date(2026, 9, 10), "contact"),
        ],
        schools=[SCHOOL],
        radius_km=16,
    )
    assert [(e.category, e.done, e.service_name, e.on, e.kind) for e in entries] == [
        ("shelter", True, "Near", dt.date(2026, 9, 3), "referral"),
        ("mental_health", True, "Near", dt.date(2026, 9, 3), "referral"),
        ("substance_abuse", False, "", None, ""),
    ]


def test_the_checklist_has_the_six_plan_categories(scenario: ScenarioDistrict) -> None:
    onboarding = onboarding_for_person(person=scenario.people[Role.SAFETY_ADMINISTRATOR])
    assert [e.category for e in onboarding.entries] == [c.value for c in PLAN_CATEGORIES]
    assert Category.COURT_LIAISON not in {e.category for e in onboarding.entries}
    assert (onboarding.done, onboarding.total) == (0, 6)


def test_a_contact_near_the_school_counts_and_a_far_one_does_not(
    scenario: ScenarioDistrict,
) -> None:
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    near = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    far = make_service(
        "Far Clinic", category=Category.MENTAL_HEALTH, near=scenario.school_a, lat_offset=0.5
    )  # 55.6 km north
    for service in (near, far):
        provider_contact_record(
            person=sa,
            service=service,
            contacted_on=timezone.localdate(),
            method=ContactMethod.VISIT,
            actor=scenario.users[Role.SAFETY_ADMINISTRATOR],
        )
    done = {e.category for e in onboarding_for_person(person=sa).entries if e.done}
    assert done == {"shelter"}
    with override_settings(ONBOARDING_RADIUS_KM=60):
        done = {e.category for e in onboarding_for_person(person=sa).entries if e.done}
    assert done == {"shelter", "mental_health"}


def test_a_referral_the_person_made_counts_as_a_contact(scenario: ScenarioDistrict) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    refer(scenario.users[Role.SAFETY_ADMINISTRATOR], scenario.school_a, shelter)
    entry = next(
        e
        for e in onboarding_for_person(person=scenario.people[Role.SAFETY_ADMINISTRATOR]).entries
        if e.category == "shelter"
    )
    assert (entry.done, entry.kind, entry.service_name) == (True, "referral", "Harbor House")


def test_an_sso_is_served_through_their_zone_s_schools(scenario: ScenarioDistrict) -> None:
    cps = make_service("CPS intake", category=Category.CHILD_PROTECTIVE_SERVICES)  # no location
    provider_contact_record(
        person=scenario.people[Role.SSO],
        service=cps,
        contacted_on=timezone.localdate(),
        method=ContactMethod.PHONE,
        actor=scenario.users[Role.SSO],
    )
    onboarding = onboarding_for_person(person=scenario.people[Role.SSO])
    assert {s.name for s in onboarding.schools} == {"A High", "A Middle"}
    assert [e.category for e in onboarding.entries if e.done] == ["child_protective_services"]


def test_only_sas_and_ssos_record_contacts_and_not_in_the_future(
    scenario: ScenarioDistrict,
) -> None:
    service = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    with pytest.raises(ValidationError):
        provider_contact_record(
            person=scenario.people[Role.PRINCIPAL],
            service=service,
            contacted_on=timezone.localdate(),
            method=ContactMethod.VISIT,
            actor="system:test",
        )
    with pytest.raises(ValidationError):
        provider_contact_record(
            person=scenario.people[Role.SSO],
            service=service,
            contacted_on=timezone.localdate() + dt.timedelta(days=1),
            method=ContactMethod.VISIT,
            actor="system:test",
        )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.PRINCIPAL, {"sa"}),
        (Role.DISPATCHER, {"sso"}),
        (Role.SECURITY_CHIEF, {"sa", "sso", "B Admin"}),
        (Role.TRAINING_COORDINATOR, {"sa", "sso", "B Admin"}),
        (Role.SAFETY_ADMINISTRATOR, {"sa"}),
        (Role.COUNSELOR, set()),
        (Role.COMMUNITY_MONITOR, set()),
    ],
)
def test_supervisors_see_their_people_s_progress(
    scenario: ScenarioDistrict, role: Role, expected: set[str]
) -> None:
    names = {
        scenario.people[Role.SAFETY_ADMINISTRATOR].pk: "sa",
        scenario.people[Role.SSO].pk: "sso",
        scenario.person_b.pk: "B Admin",
    }
    team = onboarding_team_for_user(user=scenario.users[role])
    assert {names[o.person.pk] for o in team} == expected


def test_the_pages_show_the_checklist_and_the_team(scenario: ScenarioDistrict) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    sa = Client()
    sa.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    response = sa.post(
        "/referrals/onboarding/",
        {
            "service": shelter.pk,
            "contacted_on": timezone.localdate().isoformat(),
            "method": "visit",
            "note": "Met the intake coordinator.",
        },
    )
    assert response.status_code == 302
    page = sa.get("/referrals/onboarding/").content.decode()
    assert 'data-category="shelter" data-done="true"' in page
    assert "1 of 6 done" in page
    assert sa.get("/api/referrals/onboarding/me").json()["done"] == 1
    principal = Client()
    principal.force_login(scenario.users[Role.PRINCIPAL])  # type: ignore[arg-type]
    assert principal.get("/referrals/onboarding/").status_code == 403
    team = principal.get("/referrals/onboarding/team/").content.decode()
    assert escape(scenario.people[Role.SAFETY_ADMINISTRATOR].full_name) in team
    assert "1 / 6" in team


def test_the_team_view_reads_in_a_fixed_number_of_queries(
    scenario: ScenarioDistrict, django_assert_max_num_queries: Any
) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    for role in (Role.SAFETY_ADMINISTRATOR, Role.SSO):
        provider_contact_record(
            person=scenario.people[role],
            service=shelter,
            contacted_on=timezone.localdate(),
            method=ContactMethod.VISIT,
            actor="system:test",
        )
    refer(scenario.users[Role.SAFETY_ADMINISTRATOR], scenario.school_a, shelter)
    # viewer (2–4) + people, assignments, memberships, schools, contacts, referrals, services,
    # categories (3), locations: independent of how many people there are.
    with django_assert_max_num_queries(16):
        team = onboarding_team_for_user(user=scenario.users[Role.SECURITY_CHIEF])
    assert [o.done for o in team] == [0, 1, 1]
