"""The search page, the API, verification from the page, and the demo seed."""

from __future__ import annotations

import pytest
from django.test import Client

from safeops.resources.demo import resources_demo_seed
from safeops.resources.models import Organization, Service
from safeops.resources.selectors import service_category_codes
from safeops.resources.services import directory_service_create
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def login(scenario: ScenarioDistrict, role: Role) -> Client:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    return client


def shelter(scenario: ScenarioDistrict) -> Service:
    school = scenario.school_a
    return directory_service_create(
        organization_name="Harbor Org",
        service_name="Harbor Youth Shelter",
        categories=["shelter"],
        latitude=school.latitude + 0.01,
        longitude=school.longitude,
        address_1="1 River Rd",
        city="Louisville",
        state_province="KY",
        postal_code="40202",
        actor="system:test",
    )


def test_sa_searches_shelters_near_their_school(scenario: ScenarioDistrict) -> None:
    service = shelter(scenario)
    client = login(scenario, Role.SAFETY_ADMINISTRATOR)
    query = {"category": "shelter", "school": scenario.school_a.pk, "q": "harbor"}
    page = client.get("/resources/", query)
    assert page.status_code == 200
    html = page.content.decode()
    for field_id in ('id="resource-q"', 'id="resource-category"', 'id="resource-school"'):
        assert field_id in html
    assert f'data-service-id="{service.pk}"' in html
    assert "1.1 km" in html
    api = client.get("/api/resources/search", query)
    assert api.status_code == 200
    assert [r["name"] for r in api.json()] == ["Harbor Youth Shelter"]
    assert api.json()[0]["distance_km"] == pytest.approx(1.11, abs=0.01)
    assert client.get("/api/resources/search", {"category": "parks"}).status_code == 422
    other = client.get("/api/resources/search", {"school": scenario.school_b.pk})
    assert other.status_code == 422
    assert other.json()["errors"] == [{"field": "school", "message": "No such school you may see."}]


def test_community_monitor_is_refused_and_sa_cannot_verify(scenario: ScenarioDistrict) -> None:
    service = shelter(scenario)
    assert login(scenario, Role.COMMUNITY_MONITOR).get("/resources/").status_code == 403
    sa = login(scenario, Role.SAFETY_ADMINISTRATOR)
    assert sa.post(f"/resources/{service.pk}/verify/").status_code == 403
    mhp = login(scenario, Role.MENTAL_HEALTH_PRACTITIONER)
    assert mhp.post(f"/resources/{service.pk}/verify/").status_code == 302
    service.refresh_from_db()
    assert service.last_verified_on is not None


def test_demo_seed_covers_every_category(scenario: ScenarioDistrict) -> None:
    created = resources_demo_seed(district=scenario.district)
    assert created > 9
    ids = list(Service.objects.values_list("pk", flat=True))
    codes = set().union(*service_category_codes(service_ids=ids).values())
    assert len(codes) == 9
    assert resources_demo_seed(district=scenario.district) == 0  # idempotent


def test_service_page_shows_details_and_links_to_a_referral(scenario: ScenarioDistrict) -> None:
    service = shelter(scenario)
    html = login(scenario, Role.SAFETY_ADMINISTRATOR).get(f"/resources/{service.pk}/")
    text = html.content.decode()
    assert "Harbor Youth Shelter" in text and "1 River Rd" in text
    assert f"/referrals/new/?service={service.pk}" in text
    assert "never — needs verification" in text
    assert '<dd id="service-categories">Shelters</dd>' in text


def test_admin_lists_services_for_support_staff_only(scenario: ScenarioDistrict) -> None:
    service = shelter(scenario)
    mhp = login(scenario, Role.MENTAL_HEALTH_PRACTITIONER)
    assert mhp.get("/admin/resources/service/").status_code == 200
    assert mhp.get(f"/admin/resources/service/{service.pk}/change/").status_code == 200
    sa = login(scenario, Role.SAFETY_ADMINISTRATOR)
    page = sa.get(f"/admin/resources/service/{service.pk}/change/")
    assert page.status_code == 200  # view only
    assert 'name="_save"' not in page.content.decode()


def test_stale_list_and_organization_verification(scenario: ScenarioDistrict) -> None:
    service = shelter(scenario)
    organization = Organization.objects.get(hsds_id=service.organization_id)
    mhp = login(scenario, Role.MENTAL_HEALTH_PRACTITIONER)
    page = mhp.get("/resources/stale/").content.decode()
    assert "Harbor Youth Shelter" in page and f'data-organization-id="{organization.pk}"' in page
    sa = login(scenario, Role.SAFETY_ADMINISTRATOR)
    assert sa.post(f"/resources/organizations/{organization.pk}/verify/").status_code == 403
    assert mhp.post(f"/resources/organizations/{organization.pk}/verify/").status_code == 302
    organization.refresh_from_db()
    assert organization.last_verified_on is not None
    assert "Harbor Org" not in mhp.get("/resources/stale/").content.decode()
