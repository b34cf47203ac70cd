"""In a real browser: an SA finds shelters near their school, nearest first, on a map that
draws without base-map tiles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from safeops.resources.services import directory_service_create
from safeops.schools.choices import SchoolLevel
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from tests.safeops.dispatch.conftest import asgi_server  # noqa: F401  (uvicorn in a thread)
from tests.safeops.factories import (
    PASSWORD,
    DistrictFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def shelter(name: str, lat: float, lon: float) -> None:
    directory_service_create(
        organization_name=f"{name} Inc.",
        service_name=name,
        categories=["shelter"],
        latitude=lat,
        longitude=lon,
        address_1="1 River Rd",
        city="Louisville",
        state_province="KY",
        postal_code="40202",
        actor="system:test",
    )


def test_sa_finds_shelters_near_their_school_on_a_map_without_tiles(
    browser: Any,
    asgi_server: str,  # noqa: F811
    settings: Any,
) -> None:
    settings.MAP_TILES_URL = ""  # no base map: the markers must still draw
    district = DistrictFactory(name="Directory district")
    school = SchoolFactory(
        district=district,
        name="Map Middle",
        level=SchoolLevel.MIDDLE,
        latitude=38.2,
        longitude=-85.7,
    )
    sa = PersonFactory(
        district=district, role=Role.SAFETY_ADMINISTRATOR, user=UserFactory(username="sa-map")
    )
    Assignment.objects.create(person=sa, school=school, starts_on=timezone.localdate())
    shelter("Far Shelter", 38.30, -85.70)  # 11.1 km
    shelter("Near Shelter", 38.21, -85.70)  # 1.1 km
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{asgi_server}/accounts/login/")
    page.get_by_label("Username").fill("sa-map")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{asgi_server}/")
    page.get_by_role("link", name="Resources").click()
    page.locator("#resource-category").select_option("shelter")
    page.locator("#resource-school").select_option(label="Map Middle")
    page.locator("#resource-search-submit").click()
    page.wait_for_url(re.compile(r".*category=shelter.*"))
    rows = page.locator("#resource-results tbody tr[data-service-id]")
    assert rows.locator("td:first-child a").all_inner_texts() == ["Near Shelter", "Far Shelter"]
    assert page.locator("td.distance").all_inner_texts() == ["1.1 km", "11.1 km"]
    assert page.locator("#resource-map").get_attribute("data-markers") == "2"
    assert page.locator(".resource-marker").count() == 2
    assert page.locator(".school-marker").count() == 1
    # The map and the list are linked: a row's button opens its numbered marker, which marks it.
    assert page.locator(".leaflet-tooltip").all_inner_texts() == ["1", "2"]
    rows.nth(1).get_by_role("button", name="Show on map").click()
    assert page.locator(".leaflet-popup-content a").inner_text() == "2. Far Shelter"
    assert rows.nth(1).get_attribute("class") == "on-map"
    assert not errors, errors
    context.close()
