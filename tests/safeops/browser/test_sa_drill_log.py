"""Acceptance 4: an SA logs a fire drill in a real browser and the school goes from overdue
to compliant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeops.drills import engine
from safeops.drills.selectors import calendar_of, rules_of
from safeops.drills.services import safety_defaults_seed, school_year_save
from safeops.schools.choices import SchoolLevel
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from tests.safeops.drills.helpers import log
from tests.safeops.factories import (
    PASSWORD,
    DistrictFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _school_missing_one_fire_drill() -> tuple[Any, dt.date]:
    """A school whose drills are all logged except the first month's fire drill."""
    today = timezone.localdate()
    district = DistrictFactory(name="Browser district")
    safety_defaults_seed(district=district, actor="system:test")
    year = school_year_save(
        district=district,
        name="current",
        first_day=today - dt.timedelta(days=120),
        last_day=today + dt.timedelta(days=120),
        non_instructional=[],
        actor="system:test",
    )
    school = SchoolFactory(district=district, name="Browser High", level=SchoolLevel.HIGH)
    windows = [
        w
        for rule in rules_of(district_id=district.pk)
        for w in engine.windows_for(calendar_of(year), rule)
    ]
    missing = next(
        w for w in windows if w.drill_type == "fire" and not w.requirement.extra and w.end < today
    )
    for window in windows:
        if window.start <= today and window != missing:
            log(school, window.drill_type, window.start, hour=8)
    sa = PersonFactory(
        district=district, role=Role.SAFETY_ADMINISTRATOR, user=UserFactory(username="sa-browser")
    )
    Assignment.objects.create(person=sa, school=school, starts_on=today - dt.timedelta(days=200))
    return school, missing.start


@pytest.mark.django_db(transaction=True)
def test_sa_logs_a_fire_drill_and_the_school_becomes_compliant(
    browser: Any, live_server: Any
) -> None:
    school, drill_day = _school_missing_one_fire_drill()
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("sa-browser")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")

    page.get_by_role("link", name="Drills").first.click()
    page.get_by_role("link", name="Browser High").click()
    status = page.locator("#drill-status")
    assert status.get_attribute("data-status") == "overdue"
    assert "fire drill" in page.locator("#drill-reasons").inner_text()

    page.get_by_role("link", name="Log a drill").click()
    page.get_by_label("Drill type").select_option(label="Fire")
    page.locator("#id_date").fill(drill_day.isoformat())
    page.locator("#id_time").fill("09:30")
    page.get_by_label("Duration (minutes)").fill("9")
    page.get_by_label("Time to evacuate or secure (seconds)").fill("185")
    page.get_by_label("Participants (students and staff)").fill("640")
    page.get_by_label("Observers").fill("Zone SSO; fire department")
    page.get_by_role("button", name="Save drill").click()
    page.wait_for_url(f"{base}/drills/schools/{school.pk}/")

    assert page.locator("#drill-status").get_attribute("data-status") == "compliant"
    assert page.locator("#drill-reasons").count() == 0
    assert "Zone SSO; fire department" in page.content()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
