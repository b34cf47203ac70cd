"""Planning in the browser (issue 18, acceptance 5): a bad input shows a form error on its
field, a finished scenario shows its staffing chart, and the comparison map draws each
scenario in its own colour over today's zones."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from safeops.core.jobs import run_due_jobs
from safeops.scenarios.models import Scenario
from safeops.staff.models import Person
from tests.safeops.browser.accessibility import (
    assert_accessible,
    assert_no_horizontal_scroll,
    logged_in_context,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _fill(page: Any, name: str, officers: str, min_size: str) -> None:
    page.goto("/planning/")
    page.fill("#id_name", name)
    page.fill("#id_officers", officers)
    page.fill("#id_min_size", min_size)
    page.fill("#id_max_size", "7")
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_load_state("load")


@pytest.mark.django_db(transaction=True)
def test_a_planner_sees_form_errors_the_staffing_chart_and_a_coloured_compare_map(
    browser: Any, live_server: Any
) -> None:
    call_command("seed_demo", "--schools", "40", stdout=io.StringIO())
    chief = Person.objects.get(user__username="demo-chief").user
    context = logged_in_context(browser, live_server.url, chief, viewport=PHONE)
    try:
        page = context.new_page()
        _fill(page, "Too tight", "10", "8")
        error = (
            page.locator("#id_min_size")
            .locator("xpath=..")
            .get_by_text("The smallest zone size must not exceed the largest.")
        )
        assert error.count() == 1
        assert Scenario.objects.count() == 0

        _fill(page, "Ten", "10", "3")
        _fill(page, "Twelve", "12", "3")
        assert run_due_jobs() == 2
        ten, twelve = Scenario.objects.order_by("pk")

        page.goto(f"/planning/{ten.pk}/")
        chart = page.locator("figure.chart img")
        chart.wait_for()
        assert page.evaluate("document.querySelector('figure.chart img').naturalWidth") > 0
        assert_accessible(page, label="scenario detail")
        assert_no_horizontal_scroll(page, label="scenario detail")

        page.goto(f"/planning/compare/?ids={ten.pk}&ids={twelve.pk}")
        page.locator("#compare-map[data-scenarios='2']").wait_for(timeout=15_000)
        strokes = set(
            page.eval_on_selector_all(
                "#compare-map path.leaflet-interactive",
                "els => els.map(e => e.getAttribute('stroke'))",
            )
        )
        assert {"#1f5fa8", "#c8372d", "#555555"} <= strokes, strokes
        assert "Today's zones" in page.locator(".leaflet-control-layers").inner_text()
        assert_accessible(page, label="scenario comparison")
        assert_no_horizontal_scroll(page, label="scenario comparison")
    finally:
        context.close()
