"""axe-core (WCAG 2.2 A/AA: no serious or critical violation) and no sideways scroll, at
1366 × 900 and 390 × 844: the public tip line in English and Spanish, the login page and the
SA's home; the skip link comes first and the phone menu opens with its button."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from tests.safeops.browser.accessibility import (
    SIZES,
    assert_accessible,
    assert_no_horizontal_scroll,
    check,
    logged_in_context,
)
from tests.safeops.factories import DistrictFactory, PersonFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_the_tip_line_and_login_pass_axe_and_fit(
    browser: Any, live_server: Any, size: str, locale: str
) -> None:
    SchoolFactory(district=DistrictFactory(name="Axe district"), name="Axe High")
    context = browser.new_context(base_url=live_server.url, viewport=SIZES[size], locale=locale)
    page = context.new_page()
    page.set_default_timeout(8000)
    spanish = locale.startswith("es")
    page.goto("/tips/")
    check(page, f"tip form ({locale}, {size})")
    # An invalid submission: the errors page is checked too.
    page.locator("button", has_text="Enviar el reporte" if spanish else "Send the tip").click()
    check(page, f"tip form with errors ({locale}, {size})")
    page.locator("#id_what").fill("A student said he has a knife in his bag")
    page.locator("#id_school").select_option(label="Axe High")
    page.locator("input[name=urgency][value=soon]").check()
    page.locator("form.card button").click()
    code = page.locator("#tip-code").inner_text()
    phrase = page.locator("#tip-phrase").inner_text()
    check(page, f"tip receipt ({locale}, {size})")
    page.locator("main a[href^='/tips/status/']").click()
    check(page, f"tip look-up ({locale}, {size})")
    page.locator("#id_code").fill(code)
    page.locator("#id_phrase").fill(phrase)
    page.locator("form.card button").click()
    page.locator("#tip-status").wait_for()
    check(page, f"tip status ({locale}, {size})")
    page.goto("/accounts/login/")
    check(page, f"login ({locale}, {size})")
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_sa_home_passes_axe_fits_and_has_a_skip_link_and_menu(
    browser: Any, live_server: Any, size: str
) -> None:
    district = DistrictFactory(name="Axe district")
    school = SchoolFactory(district=district, name="Axe Middle")
    sa = PersonFactory(
        district=district,
        role=Role.SAFETY_ADMINISTRATOR,
        full_name="Sam Axe",
        user=UserFactory(username="sa-axe"),
    )
    Assignment.objects.create(person=sa, school=school, starts_on=timezone.localdate())
    context = logged_in_context(browser, live_server.url, sa.user, viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(8000)
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()  # shown when focused
    toggle = page.locator(".menu-toggle")
    home_link = page.locator("nav[aria-label=Main] a", has_text="Home")
    if size == "phone":
        assert toggle.is_visible()
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not home_link.is_visible()
        check(page, f"SA home, menu closed ({size})")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert home_link.is_visible()
        box = home_link.bounding_box()
        assert box is not None and box["height"] >= 44  # a finger-sized target
        check(page, f"SA home, menu open ({size})")
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
    else:
        assert not toggle.is_visible()
        assert home_link.is_visible()
        check(page, f"SA home ({size})")
    context.close()


def test_the_checks_fail_on_a_page_with_problems(browser: Any) -> None:
    """The helpers can fail: an unlabelled field, grey-on-white text and a too-wide box."""
    context = browser.new_context(viewport=SIZES["phone"])
    page = context.new_page()
    page.set_content(
        '<html lang="en"><body><main><input type="text">'
        '<p style="color:#bbb;background:#fff">faint</p>'
        '<div style="width:900px">wide</div></main></body></html>'
    )
    with pytest.raises(AssertionError) as axe_failure:
        assert_accessible(page, label="bad page")
    assert "label" in str(axe_failure.value)
    assert "color-contrast" in str(axe_failure.value)
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_no_horizontal_scroll(page, label="bad page")
    context.close()
