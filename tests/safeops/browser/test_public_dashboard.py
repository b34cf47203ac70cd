"""Issue 17, acceptance 3 (dashboard): the public dashboard in English and Spanish with no login
and no cookie, a CSV downloaded; on a phone (390 x 844) with no horizontal scroll, and axe."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.safeops.browser.accessibility import assert_accessible, assert_no_horizontal_scroll
from tests.safeops.reports.fixture import publish_sample

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_public_dashboard_in_english_and_spanish_downloads_a_csv_with_no_cookie(
    browser: Any, live_server: Any, tmp_path: Path
) -> None:
    publish_sample()
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto("/dashboard/")
    page.get_by_role("heading", name="School safety accountability dashboard").wait_for()
    assert page.get_by_role("table", name="SSO runs by category").is_visible()
    assert_accessible(page, label="dashboard (en)")
    assert_no_horizontal_scroll(page, label="dashboard (en)")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "dashboard.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert {r["category"] for r in rows} >= {"fight_assault", "weapon"}

    page.get_by_role("link", name="Español").click()
    page.get_by_role(
        "heading", name="Panel de rendición de cuentas de la seguridad escolar"
    ).wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Pelea o agresión" in page.locator("main").inner_text()
    assert_accessible(page, label="dashboard (es)")
    assert_no_horizontal_scroll(page, label="dashboard (es)")
    page.get_by_role("link", name="Diccionario de datos").click()
    page.get_by_role(
        "heading", name="Diccionario de datos de las descargas de rendición de cuentas"
    ).wait_for()
    assert context.cookies() == []
    context.close()
