"""A person logs in and opens the school map in a real browser (Chromium via Playwright)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from safeops.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.django_db(transaction=True)
def test_sa_logs_in_and_the_map_shows_only_their_schools(browser: Any, live_server: Any) -> None:
    call_command("seed_demo", "--schools", "40", stdout=io.StringIO())
    for username, expected in (("demo-sa", 2), ("demo-chief", 40)):
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        _log_in(page, live_server.url, username)
        page.get_by_role("link", name="Map").click()
        status = page.locator("#map-status")
        status.filter(has_text="schools and").wait_for(timeout=15000)
        assert page.locator("#school-map").get_attribute("data-schools") == str(expected)
        assert f"{expected} schools" in status.inner_text()
        assert page.locator(".leaflet-container").count() == 1
        assert not [e for e in errors if "Content Security Policy" in e], errors
        context.close()
