"""The SSO's patrol day on a phone: the plan, a check-in at a school (position faked by the
browser), a second check-in made with no signal and sent when it returns, and the supervisor's
coverage page counting both. Axe and "no sideways scroll" on both pages."""

from __future__ import annotations

import time
from typing import Any

import pytest

from safeops.patrol.models import PatrolPlan, PlannedVisit
from safeops.patrol.services import plans_generate
from tests.safeops.browser.accessibility import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    logged_in_context,
)
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixture
from tests.safeops.patrol.conftest import PatrolScenario
from tests.safeops.patrol.conftest import patrol as patrol  # fixture

pytestmark = pytest.mark.browser
STEP_MS = 10_000


def _wait_until_sent(page: Any) -> None:
    deadline = time.monotonic() + STEP_MS / 1000
    while "waiting" in page.locator("#patrol-queue").inner_text():
        assert time.monotonic() < deadline, "the queued check-in was never sent"
        page.wait_for_timeout(100)


def _at(visit: PlannedVisit) -> dict[str, float]:
    return {"latitude": visit.place.latitude, "longitude": visit.place.longitude}


def _phone(
    browser: Any, base: str, patrol: PatrolScenario, at: PlannedVisit, **options: Any
) -> tuple[Any, Any, list[str]]:
    """Officer A's phone, standing at `at`; the page's script errors are collected."""
    context = logged_in_context(
        browser,
        base,
        patrol.officer_a.user,
        viewport=PHONE,
        geolocation=_at(at),
        permissions=["geolocation"],
        **options,
    )
    errors: list[str] = []
    phone = context.new_page()
    phone.on("pageerror", lambda e: errors.append(str(e)))
    return context, phone, errors


@pytest.mark.django_db(transaction=True)
def test_check_ins_online_and_offline_reach_the_coverage_page(
    browser: Any, asgi_server: str, patrol: PatrolScenario
) -> None:
    plans_generate(district_id=patrol.s.district.pk, day=patrol.today, actor="system:test")
    plan = PatrolPlan.objects.get(person=patrol.officer_a, day=patrol.today)
    first, second = list(plan.visits.select_related("school", "point").order_by("position"))[:2]
    context, phone, errors = _phone(browser, asgi_server, patrol, first)
    try:
        phone.goto("/patrol/")
        next_stop = phone.locator(f"#next-visit .stop[data-visit-id='{first.pk}']")
        next_stop.wait_for(timeout=STEP_MS)
        assert phone.locator("#patrol-stops .stop").count() == plan.visits.count()
        assert next_stop.get_by_role("link", name="Directions").get_attribute("href")
        assert_accessible(phone, label="patrol officer")
        assert_no_horizontal_scroll(phone, label="patrol officer")

        next_stop.get_by_role("button", name="Check in").click()
        phone.locator(
            f"#patrol-stops .stop[data-visit-id='{first.pk}'][data-status=checked_in]"
        ).wait_for(timeout=STEP_MS)
        _wait_until_sent(phone)
        first.refresh_from_db()
        assert first.status == "checked_in" and first.within_geofence is True

        context.set_offline(True)
        context.set_geolocation(_at(second))
        later = phone.locator(f"#next-visit .stop[data-visit-id='{second.pk}']")
        later.get_by_role("button", name="Check in").click()
        phone.locator("#patrol-queue", has_text="1 change(s) waiting").wait_for(timeout=STEP_MS)
        second.refresh_from_db()
        assert second.status == "planned"
        context.set_offline(False)  # the browser fires "online"; the queue is sent
        _wait_until_sent(phone)
        second.refresh_from_db()
        assert second.status == "checked_in" and second.within_geofence is True
        assert errors == []
    finally:
        context.close()

    supervisor = logged_in_context(browser, asgi_server, patrol.chief, viewport=PHONE)
    try:
        page = supervisor.new_page()
        page.goto("/patrol/coverage/")
        rows = page.locator("#coverage-table tbody tr")
        visits = sum(int(rows.nth(i).get_attribute("data-visits")) for i in range(rows.count()))
        assert visits == 2
        for visit in (first, second):
            row = page.locator(f"#coverage-table tr[data-school='{visit.place}']")
            assert int(row.get_attribute("data-visits")) >= 1
        page.wait_for_function("document.getElementById('routes-map').dataset.stops > 0")
        assert_accessible(page, label="patrol coverage")
        assert_no_horizontal_scroll(page, label="patrol coverage")
    finally:
        supervisor.close()


@pytest.mark.django_db(transaction=True)
def test_the_phone_page_opens_with_no_signal_from_a_cold_start(
    browser: Any, asgi_server: str, patrol: PatrolScenario
) -> None:
    """Loaded once with signal; then no signal and a reload (the page, its files and today's
    plan come from the service worker): the plan shows and a check-in waits on the phone."""
    plans_generate(district_id=patrol.s.district.pk, day=patrol.today, actor="system:test")
    plan = PatrolPlan.objects.get(person=patrol.officer_a, day=patrol.today)
    first = plan.visits.select_related("school", "point").order_by("position").first()
    assert first is not None
    context, phone, errors = _phone(browser, asgi_server, patrol, first, service_workers="allow")
    try:
        phone.goto("/patrol/")
        phone.wait_for_function(
            "() => navigator.serviceWorker.controller !== null", timeout=STEP_MS
        )
        deadline = time.monotonic() + STEP_MS / 1000
        while not phone.evaluate(
            "async () => !!(await (await caches.open('safeops-patrol-v1')).match("
            "'/api/patrol/today'))"
        ):
            assert time.monotonic() < deadline, "today's plan was never kept"
            phone.wait_for_timeout(100)
        context.set_offline(True)
        response = phone.reload()
        assert response is not None and response.from_service_worker
        next_stop = phone.locator(f"#next-visit .stop[data-visit-id='{first.pk}']")
        next_stop.wait_for(timeout=STEP_MS)
        assert phone.locator("#patrol-stops .stop").count() == plan.visits.count()
        assert phone.evaluate("window.L !== undefined")  # the map library came from the cache
        next_stop.get_by_role("button", name="Check in").click()
        phone.locator("#patrol-queue", has_text="1 change(s) waiting").wait_for(timeout=STEP_MS)
        first.refresh_from_db()
        assert first.status == "planned"
        context.set_offline(False)
        _wait_until_sent(phone)
        first.refresh_from_db()
        assert first.status == "checked_in"
        assert errors == []
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_the_settings_pages_on_a_phone(
    browser: Any, asgi_server: str, patrol: PatrolScenario
) -> None:
    """The chief's settings pages at 390 × 844, with a field error showing: axe and no
    sideways scroll."""
    context = logged_in_context(browser, asgi_server, patrol.chief, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/patrol/coverage/")
        page.get_by_role("link", name="Patrol settings").first.click()
        page.locator("#settings-form").wait_for(timeout=STEP_MS)
        page.fill("#id_geofence_m", "3")
        page.get_by_role("button", name="Save the settings").click()
        page.locator("#id_geofence_m_error").wait_for(timeout=STEP_MS)
        for label in ("patrol settings", "bell times", "patrol points"):
            assert_accessible(page, label=label)
            assert_no_horizontal_scroll(page, label=label)
            if label == "patrol settings":
                page.get_by_role("link", name="Bell times and special days").first.click()
                page.locator("#bell-form").wait_for(timeout=STEP_MS)
            elif label == "bell times":
                page.get_by_role("link", name="Patrol points").first.click()
                page.locator("#point-form").wait_for(timeout=STEP_MS)
    finally:
        context.close()
