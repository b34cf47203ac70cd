"""Names on the maps are text, never HTML (issue 13, finding 7): an officer whose name is an
image tag with an onerror handler shows that name literally in the live board's tooltip."""

from __future__ import annotations

import time
from typing import Any

import pytest

from safeops.dispatch.recommend import forget_officers
from safeops.staff.models import Person
from tests.safeops.browser.accessibility import logged_in_context
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixtures
from tests.safeops.dispatch.conftest import dispatch as dispatch

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror="window.__injected=1">Officer'


@pytest.mark.django_db(transaction=True)
def test_an_officer_name_with_html_shows_as_text_in_the_board_tooltip(
    browser: Any, asgi_server: str, dispatch: DispatchScenario
) -> None:
    Person.objects.filter(pk=dispatch.officer_a.pk).update(full_name=HOSTILE)
    forget_officers()
    context = logged_in_context(browser, asgi_server, dispatch.dispatcher)
    try:
        page = context.new_page()
        page.goto("/dispatch/board/")
        page.locator("#board-map[data-officers='2']").wait_for(state="attached", timeout=10_000)
        tooltips = page.locator(".leaflet-tooltip")
        deadline = time.monotonic() + 15
        shown = ""
        while HOSTILE not in shown and time.monotonic() < deadline:
            # Live updates re-bind the tooltips and the map may still be settling: hover again.
            for marker in page.locator(".officer-marker").all():
                page.mouse.move(0, 0)
                marker.hover(force=True)
                page.wait_for_timeout(150)
                shown = " ".join(tooltips.all_inner_texts())
                if HOSTILE in shown:
                    break
        assert HOSTILE in shown
        assert page.locator(".leaflet-tooltip img").count() == 0
        assert page.evaluate("window.__injected") is None
    finally:
        context.close()
