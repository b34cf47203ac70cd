"""The whole SSO response in Chromium, three browser contexts, no reloads.

An SA files a P1; the live board shows it; the dispatcher assigns the recommended officer; the
officer acknowledges, arrives and clears on the phone view; the SA's page shows each step.
The app runs under uvicorn (ASGI: HTTP and WebSocket) in a thread, on the test database
(a file on SQLite, see settings/test.py; the test database on PostgreSQL).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from safeops.dispatch.models import SupportRequest
from tests.safeops.browser.accessibility import STEP_MS, watched_page
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixtures
from tests.safeops.dispatch.conftest import dispatch as dispatch

pytestmark = pytest.mark.browser
BOARD_LIVE_SECONDS = 1.0


def _box(locator: Any) -> dict[str, float]:
    """The element's box; the live block is re-drawn when the page (re)connects, and an element
    replaced at the moment it is measured has no box."""
    deadline = time.monotonic() + STEP_MS / 1000
    while (box := locator.bounding_box(timeout=STEP_MS)) is None:
        assert time.monotonic() < deadline, "the element never became visible"
        time.sleep(0.05)
    return dict(box)


def _status(page: Any, label: str) -> None:
    page.locator("#request-status", has_text=label).wait_for(timeout=STEP_MS)


@pytest.mark.django_db(transaction=True)
def test_sa_dispatcher_and_officer_run_a_p1_end_to_end(
    browser: Any, asgi_server: str, dispatch: DispatchScenario
) -> None:
    base = asgi_server
    officer = dispatch.officer_a
    board_ctx, board, board_errors = watched_page(browser, base, dispatch.dispatcher)
    sa_ctx, sa, sa_errors = watched_page(browser, base, dispatch.sa)
    officer_ctx, phone, phone_errors = watched_page(
        browser,
        base,
        officer.user,
        geolocation={
            "latitude": dispatch.s.high_a.latitude,
            "longitude": dispatch.s.high_a.longitude,
        },
        permissions=["geolocation"],
        viewport={"width": 400, "height": 800},
    )
    try:
        board.goto("/dispatch/board/")
        board.locator("#live-indicator[data-state=live]").wait_for(timeout=STEP_MS)
        phone.goto("/dispatch/officer/")
        phone.locator("#live-indicator[data-state=live]").wait_for(timeout=STEP_MS)

        # The SA files a P1 in three fields; "call 911" comes first on the form and the page.
        sa.goto("/dispatch/requests/new/")
        assert sa.locator(".call-911").first.is_visible()
        sa.select_option("#id_category", "weapon")
        sa.select_option("#id_priority", "p1")
        sa.fill("#id_summary", "Student showing a handgun by the gym doors")
        sa.get_by_role("button", name="Send to SSO dispatch").click()
        sa.wait_for_url("**/dispatch/requests/*/")
        request = SupportRequest.objects.get()
        filed_at = time.monotonic()
        banner = _box(sa.locator(".call-911").first)
        summary = _box(sa.get_by_text("Student showing a handgun"))
        assert banner["y"] < summary["y"]
        sa.locator("#live-indicator[data-state=live]").wait_for(timeout=STEP_MS)
        sa.evaluate("window.__noReload = 'still here'")

        # The board shows it live, with the recommended officer first.
        card = board.locator(f"#board-requests [data-request-id='{request.pk}']")
        card.wait_for(timeout=STEP_MS)
        board_seconds = time.monotonic() - filed_at
        assert board.locator("#board-map").get_attribute("data-requests") == "1"
        first_assign = card.locator("button.assign").first
        assert first_assign.get_attribute("data-officer") == str(officer.pk)
        first_assign.click()
        _status(sa, "Assigned")
        assert officer.full_name in sa.locator("#request-officer").inner_text()

        # The officer acknowledges, arrives and clears on the phone.
        phone_card = phone.locator(f".officer-card[data-request-id='{request.pk}']")
        phone_card.wait_for(timeout=STEP_MS)
        phone_card.get_by_role("button", name="Acknowledge").click()
        _status(sa, "Acknowledged")
        phone.locator(
            f".officer-card[data-request-id='{request.pk}'][data-status=acknowledged]"
        ).wait_for(timeout=STEP_MS)
        phone_card.get_by_role("button", name="On scene").click()
        _status(sa, "On scene")
        phone_card.get_by_role("button", name="Clear").click()
        phone_card.locator("select[name=disposition]").select_option("resolved_on_scene")
        phone_card.get_by_role("button", name="Submit clearing").click()
        _status(sa, "Cleared")

        assert sa.evaluate("window.__noReload") == "still here"
        steps = sa.locator("#timeline li").evaluate_all("els => els.map(e => e.dataset.status)")
        assert steps == ["new", "assigned", "acknowledged", "on_scene", "cleared"]
        request.refresh_from_db()
        assert (request.status, request.disposition) == ("cleared", "resolved_on_scene")
        assert request.response_seconds is not None
        for errors in (board_errors, sa_errors, phone_errors):
            assert not [e for e in errors if "Content Security Policy" in e], errors
        assert board_seconds < BOARD_LIVE_SECONDS + 1.0, board_seconds
    finally:
        for context in (board_ctx, sa_ctx, officer_ctx):
            context.close()
