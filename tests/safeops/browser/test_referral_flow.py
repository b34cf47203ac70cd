"""Acceptance 5: an SA searches for shelters near their school, refers a student with consent,
the provider moves the status to "services started" through its link, and the SA's
onboarding checklist shows the shelter category done.

The app runs under uvicorn in a thread on the test database (the dispatch tests' fixture): each
request gets its own database connection.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from safeops.referrals.models import Referral
from safeops.resources.categories import Category
from safeops.schools.choices import SchoolLevel
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixture
from tests.safeops.factories import (
    PASSWORD,
    DistrictFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
)
from tests.safeops.referrals.helpers import make_service

pytestmark = pytest.mark.browser


def test_sa_refers_a_student_to_a_shelter_and_the_loop_closes(
    browser: Any, asgi_server: str
) -> None:
    district = DistrictFactory(name="Referral district")
    school = SchoolFactory(
        district=district,
        name="Browser Middle",
        level=SchoolLevel.MIDDLE,
        latitude=38.2,
        longitude=-85.7,
    )
    sa = PersonFactory(
        district=district, role=Role.SAFETY_ADMINISTRATOR, user=UserFactory(username="sa-ref")
    )
    Assignment.objects.create(person=sa, school=school, starts_on=timezone.localdate())
    near = make_service("Harbor House Youth Shelter", category=Category.SHELTER, near=school)
    make_service("Far Shelter", category=Category.SHELTER, near=school, lat_offset=0.3)
    make_service("Clinic", category=Category.MENTAL_HEALTH, near=school)

    base = asgi_server
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("sa-ref")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")

    # Search the directory: shelters near the SA's school, nearest first.
    page.goto(f"{base}/resources/")
    page.locator("#resource-category").select_option(Category.SHELTER.value)
    page.locator("#resource-school").select_option(label="Browser Middle")
    page.locator("#resource-search-submit").click()
    page.wait_for_url(re.compile(r".*category=shelter.*"))
    rows = page.locator("#resource-results tbody tr[data-service-id]")
    assert rows.count() == 2
    first = rows.first
    assert "Harbor House Youth Shelter" in first.inner_text()
    service_id = first.get_attribute("data-service-id")
    assert service_id == str(near.pk)

    # Open the service and refer from its page (/referrals/new/?service=<id>).
    first.get_by_role("link", name="Harbor House Youth Shelter").click()
    page.locator("#resource-refer").click()
    page.wait_for_url(f"{base}/referrals/new/?service={service_id}")
    page.get_by_label("Student initials").fill("JD")
    page.get_by_label("Grade").select_option("7")
    page.get_by_label("Consent given by").select_option("parent_guardian")
    page.get_by_label("the provider reports the status back").check()
    page.get_by_label("Warm hand-off note").fill(
        "Mother and two children need a bed tonight; she asked to be called after 3 pm."
    )
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(re.compile(r".*/referrals/\d+/$"))
    assert page.locator("#referral-status").get_attribute("data-status") == "sent"
    referral = Referral.objects.get()
    assert (referral.student_initials, referral.consent_scope) == ("JD", "two_way")

    # A provider link, opened without a login, moves the status to services started.
    page.get_by_role("button", name="Create a provider link").click()
    link = page.locator("#provider-link").inner_text()
    provider = browser.new_context().new_page()
    provider.goto(link)
    assert "JD, grade 7" in provider.content()
    for step in ("Contacted", "Accepted", "Services started"):
        provider.get_by_role("button", name=step, exact=True).click()
        provider.wait_for_load_state()
    assert provider.locator("#provider-status").get_attribute("data-status") == ("services_started")
    provider.context.close()

    page.reload()
    assert page.locator("#referral-status").get_attribute("data-status") == "services_started"
    timeline = page.locator("#referral-timeline li")
    assert timeline.count() == 4

    # The SA's onboarding checklist shows the shelter category done.
    page.goto(f"{base}/referrals/onboarding/")
    shelter = page.locator('#onboarding-checklist li[data-category="shelter"]')
    assert shelter.get_attribute("data-done") == "true"
    assert "Harbor House Youth Shelter" in shelter.inner_text()
    assert page.locator('#onboarding-checklist li[data-done="true"]').count() == 1
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
