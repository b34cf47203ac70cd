"""The live board: an alert is acknowledged and resolved with its buttons, and every on-duty
officer's dot carries a visible label (the name as text, never HTML), at desktop and phone
sizes, with the axe checks."""

from __future__ import annotations

import time
from typing import Any

import pytest

from safeops.dispatch.choices import AlertKind
from safeops.dispatch.models import Alert
from safeops.dispatch.recommend import forget_officers
from safeops.dispatch.services import alert_raise
from safeops.staff.models import Person
from tests.safeops.browser.accessibility import (
    SIZES,
    assert_accessible,
    assert_no_horizontal_scroll,
    logged_in_context,
)
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixtures
from tests.safeops.dispatch.conftest import dispatch as dispatch

pytestmark = pytest.mark.browser
HOSTILE = '<b onmouseover="window.__injected=1">Ortiz</b>'


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(SIZES))
def test_the_board_acknowledges_and_resolves_an_alert_and_labels_the_officers(
    browser: Any, asgi_server: str, dispatch: DispatchScenario, size: str
) -> None:
    Person.objects.filter(pk=dispatch.officer_a.pk).update(full_name=HOSTILE)
    forget_officers()
    request = dispatch.file(priority="p1")
    alert = alert_raise(
        district_id=dispatch.s.district.pk,
        request=request,
        message=f"P1 panic alarm at A Middle — Room 114: request #{request.pk}.",
        link=f"/dispatch/requests/{request.pk}/",
    )
    context = logged_in_context(browser, asgi_server, dispatch.dispatcher, viewport=SIZES[size])
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto("/dispatch/board/")
        page.locator("#board-map[data-officers='2']").wait_for(state="attached", timeout=10_000)
        # Labelled dots: one permanent label per officer, the hostile name shown as text.
        labels = page.locator(".leaflet-marker-icon.officer-label")
        deadline = time.monotonic() + 10
        while labels.count() != 2 and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert sorted(labels.all_inner_texts()) == sorted([HOSTILE, "B Officer"]), errors
        assert page.locator(".officer-label b").count() == 0
        item = page.locator(f"#board-alerts li[data-alert-id='{alert.pk}']")
        item.wait_for(timeout=10_000)
        assert "Room 114" in item.inner_text()
        assert_accessible(page, label=f"board with an alert ({size})")
        assert_no_horizontal_scroll(page, label=f"board ({size})")
        item.get_by_role("button", name="Acknowledge").click()
        item.locator(".alert-ack").wait_for(timeout=10_000)
        assert dispatch.dispatcher.username in item.inner_text()
        assert Alert.objects.get(pk=alert.pk).acknowledged_at is not None
        assert_accessible(page, label=f"board, alert acknowledged ({size})")
        item.get_by_role("button", name="Resolve").click()
        item.wait_for(state="detached", timeout=10_000)
        assert Alert.objects.get(pk=alert.pk).resolution == "resolved"
        page.reload()
        page.locator("#board-map[data-officers='2']").wait_for(state="attached", timeout=10_000)
        assert page.locator("#board-alerts li").count() == 0
        assert page.evaluate("window.__injected") is None
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_a_live_alert_reaches_a_spanish_board_in_spanish(
    browser: Any, asgi_server: str, dispatch: DispatchScenario
) -> None:
    """Raised by the alarm intake after the board opened (a live event, worded by nobody's
    request): the board shows it in its reader's language."""
    context = logged_in_context(browser, asgi_server, dispatch.dispatcher, viewport=SIZES["phone"])
    try:
        page = context.new_page()
        page.goto("/dispatch/board/?lang=es")
        page.locator("#board-map[data-officers='2']").wait_for(state="attached", timeout=10_000)
        page.wait_for_timeout(500)  # the live connection is open
        request = dispatch.file(priority="p1")
        alert = alert_raise(
            district_id=dispatch.s.district.pk,
            request=request,
            kind=AlertKind.ALARM,
            params={"kind": "badge", "place": "A Middle", "device": "b-17", "request": request.pk},
        )
        assert "badge alarm" in alert.message  # stored in the site's language
        item = page.locator(f"#board-alerts li[data-alert-id='{alert.pk}']")
        item.wait_for(timeout=10_000)
        text = item.locator(".alert-message").inner_text()
        assert "alarma de credencial" in text and "b-17" in text, text
        assert_accessible(page, label="Spanish board with a live alert")
    finally:
        context.close()
