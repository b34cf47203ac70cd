"""In Chromium: an SA records a completion with a certificate, the training coordinator
confirms it from the district view, and the SA's hours go up."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.safeops.factories import PASSWORD, build_scenario
from tests.safeops.training.helpers import seed

pytestmark = pytest.mark.browser


def _login(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")
    return context, page


@pytest.mark.django_db(transaction=True)
def test_sa_records_training_and_the_coordinator_confirms(
    browser: Any,
    live_server: Any,
    tmp_path: Any,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    scenario = build_scenario(today=timezone.localdate())
    seed(scenario.district)
    base = live_server.url
    errors: list[str] = []
    sa_context, sa = _login(browser, base, "safety_administrator-a")
    sa.on("console", lambda m: m.type == "error" and errors.append(m.text))
    sa.get_by_role("link", name="Training").first.click()
    assert "0 of 60 h" in sa.locator("#training-hours").inner_text()
    sa.get_by_role("link", name="Record a completion").click()
    sa.get_by_label("Course").select_option(label="De-escalation")
    sa.locator("#id_completed_on").fill(timezone.localdate().isoformat())
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4 de-escalation certificate")
    sa.locator("#id_certificate").set_input_files(str(certificate))
    sa.get_by_role("button", name="Save").click()
    assert (
        "Waiting for the training coordinator" in sa.locator("#training-completions").inner_text()
    )

    coordinator_context, coordinator = _login(browser, base, "training_coordinator-a")
    coordinator.goto(f"{base}/training/district/")
    coordinator.locator("#pending").get_by_role("button", name="Confirm").click()
    coordinator.wait_for_url(f"{base}/training/district/")
    assert "Nothing waiting." in coordinator.locator("#pending").inner_text()

    sa.goto(f"{base}/training/")
    assert "8 of 60 h" in sa.locator("#training-hours").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    sa_context.close()
    coordinator_context.close()
