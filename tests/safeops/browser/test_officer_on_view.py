"""The officer opens an on-view call from the phone (390 × 844) where they stand: the nearest
schools are offered from the position, or "not at a school" with the place described; without
signal the call waits on the phone and goes once the connection is back (its client key makes
a resend the same call); the page passes axe and never scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from safeops.dispatch.choices import Source, Status
from safeops.dispatch.models import SupportRequest
from safeops.dispatch.services import request_transition
from tests.safeops.browser.accessibility import (
    PHONE,
    STEP_MS,
    assert_accessible,
    assert_no_horizontal_scroll,
    watched_page,
)
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixtures
from tests.safeops.dispatch.conftest import dispatch as dispatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_on_view_call_at_the_nearest_school_and_one_at_a_bus_stop_without_signal(
    browser: Any, asgi_server: str, dispatch: DispatchScenario
) -> None:
    school = dispatch.s.school_a  # (38.210, -85.690): the officer stands 50 m away
    context, phone, errors = watched_page(
        browser,
        asgi_server,
        dispatch.officer_a.user,
        viewport=PHONE,
        geolocation={"latitude": 38.2104, "longitude": -85.6902},
        permissions=["geolocation"],
    )
    try:
        phone.goto("/dispatch/officer/")
        phone.locator("#no-requests").wait_for(timeout=STEP_MS)
        phone.locator("#on-view summary").click()
        nearest = phone.locator(f"#on-view-school option[value='{school.pk}']")
        nearest.wait_for(state="attached", timeout=STEP_MS)
        options = phone.locator("#on-view-school option").all_inner_texts()
        assert options[0] == "Not at a school" and options[1].startswith(school.name)
        assert phone.locator("#on-view-school").input_value() == str(school.pk)
        assert_accessible(phone)
        assert_no_horizontal_scroll(phone)
        phone.select_option("#on-view-category", "fight_assault")
        phone.fill("#on-view-summary", "Two adults fighting by the front doors")
        phone.locator("#on-view-form button[type=submit]").click()
        phone.locator(".officer-card").first.wait_for(timeout=STEP_MS)
        call = SupportRequest.objects.get()
        assert (call.source, call.school_id, call.officer_id) == (
            Source.ON_VIEW,
            school.pk,
            dispatch.officer_a.pk,
        )
        assert call.status == Status.ON_SCENE
        # The first call ends (cleared: the officer is free again).
        request_transition(
            request_id=call.pk,
            to_status="cleared",
            disposition="resolved_on_scene",
            actor=dispatch.officer_a.user,
        )
        phone.locator(".officer-card").first.wait_for(state="detached", timeout=STEP_MS)

        # No signal at the bus stop: the call waits on the phone, then goes once.
        phone.evaluate(
            """() => { const d = document.getElementById('on-view'); d.open = true;
                       d.dispatchEvent(new Event('toggle')); }"""
        )
        context.set_offline(True)
        phone.select_option("#on-view-school", "")
        phone.fill("#on-view-place", "Bus stop at 5th and Oak")
        phone.select_option("#on-view-category", "bus_stop_incident")
        phone.fill("#on-view-summary", "Adult harassing students at the stop")
        phone.locator("#on-view-form button[type=submit]").click()
        phone.locator("#queue-status", has_text="waiting").wait_for(timeout=STEP_MS)
        assert SupportRequest.objects.count() == 1
        context.set_offline(False)
        phone.evaluate("() => window.dispatchEvent(new Event('online'))")
        phone.locator(".officer-card").first.wait_for(timeout=STEP_MS)
        stop = SupportRequest.objects.exclude(pk=call.pk).get()
        assert stop.school_id is None and stop.location_description == "Bus stop at 5th and Oak"
        assert stop.source == Source.ON_VIEW and stop.officer_id == dispatch.officer_a.pk
        assert_no_horizontal_scroll(phone)
        assert errors == [] or all("Failed to fetch" in e or "ERR_INTERNET" in e for e in errors)
    finally:
        context.close()
