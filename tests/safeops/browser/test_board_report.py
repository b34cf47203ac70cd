"""The board report page and the community monitoring team's view in a browser, at 1366 × 900
and 390 × 844, with the chief's internal view and the Kentucky pages: no serious or critical axe
violation, no sideways scroll; the page's PDF link serves a PDF (its text is checked with
pdftotext in tests/safeops/reports/test_board_views.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from safeops.staff.choices import Role
from tests.safeops.browser.accessibility import SIZES, check, logged_in_context
from tests.safeops.factories import build_scenario
from tests.safeops.reports.fixture import term_runs

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_board_report_and_the_monitors_view_pass_axe_and_fit(
    browser: Any, live_server: Any, size: str
) -> None:
    scenario = build_scenario(today=timezone.localdate())
    term_runs(scenario)
    chief = logged_in_context(
        browser, live_server.url, scenario.users[Role.SECURITY_CHIEF], viewport=SIZES[size]
    )
    page = chief.new_page()
    page.set_default_timeout(20000)
    # the first chart may build matplotlib's font cache (seconds on a fresh machine)
    page.goto("/accountability/board/", timeout=90000)
    page.locator("h1", has_text="Board report").wait_for()
    check(page, f"board report ({size})")
    pdf_link = page.locator("a", has_text="Download the PDF").get_attribute("href")
    pdf = chief.request.get(pdf_link)
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    for path in (
        "/accountability/",
        "/accountability/internal/",
        "/accountability/kentucky/sro/",
        "/accountability/kentucky/campuses/",
    ):
        page.goto(path)
        check(page, f"{path} ({size})")
    chief.close()
    monitor = logged_in_context(
        browser, live_server.url, scenario.users[Role.COMMUNITY_MONITOR], viewport=SIZES[size]
    )
    page = monitor.new_page()
    page.set_default_timeout(20000)
    page.goto("/accountability/monitoring/")
    check(page, f"monitors' view ({size})")
    page.locator("ul.zone-links a", has_text="Zone B").click()
    page.locator("h1", has_text="Zone B").wait_for()
    check(page, f"monitors' zone view ({size})")
    monitor.close()
