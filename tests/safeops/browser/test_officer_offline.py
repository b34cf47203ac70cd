"""The officer's phone through signal loss: a change made with no signal waits on the phone and
is sent when the signal is back; a change whose answer was lost is sent again with the same
idempotency key, and the server applies it once."""

from __future__ import annotations

import time
from typing import Any

import pytest

from safeops.dispatch.models import StatusEvent, SupportRequest
from safeops.dispatch.services import request_assign
from tests.safeops.browser.accessibility import STEP_MS, watched_page
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixtures
from tests.safeops.dispatch.conftest import dispatch as dispatch

pytestmark = pytest.mark.browser


def _events(request: SupportRequest, status: str) -> list[StatusEvent]:
    return list(StatusEvent.objects.filter(request=request, to_status=status))


def _wait_until_sent(phone: Any) -> None:
    """The phone's queue is empty. (A live update can show a change on the card before the
    change's own answer has reached the phone, so the card alone proves nothing.)"""
    deadline = time.monotonic() + STEP_MS / 1000
    while "waiting" in phone.locator("#queue-status").inner_text():
        assert time.monotonic() < deadline, "the queued change was never sent"
        phone.wait_for_timeout(100)


@pytest.mark.django_db(transaction=True)
def test_changes_survive_a_lost_answer_and_a_dead_zone(
    browser: Any, asgi_server: str, dispatch: DispatchScenario
) -> None:
    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    context, phone, errors = watched_page(
        browser, asgi_server, dispatch.officer_a.user, viewport={"width": 400, "height": 800}
    )
    card = f".officer-card[data-request-id='{request.pk}']"
    sent_keys: list[str] = []

    def lose_first_answer(route: Any) -> None:
        sent_keys.append(route.request.post_data_json["idempotency_key"])
        if len(sent_keys) == 1:
            route.fetch()  # the server applies the change ...
            route.abort()  # ... and the answer never reaches the phone
        else:
            route.continue_()

    try:
        phone.goto("/dispatch/officer/")
        phone.locator(card).wait_for(timeout=STEP_MS)
        phone.route("**/transitions", lose_first_answer)
        phone.locator(card).get_by_role("button", name="Acknowledge").click()
        phone.locator("#queue-status", has_text="No signal, will retry.").wait_for(timeout=STEP_MS)
        assert len(_events(request, "acknowledged")) == 1  # applied, though the phone can't know
        phone.evaluate("window.dispatchEvent(new Event('online'))")  # or the 5 s retry
        _wait_until_sent(phone)
        phone.locator(f"{card}[data-status=acknowledged]").wait_for(timeout=STEP_MS)
        assert len(sent_keys) == 2 and sent_keys[0] == sent_keys[1]
        assert len(_events(request, "acknowledged")) == 1
        phone.unroute("**/transitions")

        context.set_offline(True)
        phone.locator(card).get_by_role("button", name="On scene").click()
        phone.locator("#queue-status", has_text="1 change waiting").wait_for(timeout=STEP_MS)
        request.refresh_from_db()
        assert request.status == "acknowledged"
        context.set_offline(False)  # the browser fires "online"; the queue is sent
        _wait_until_sent(phone)
        phone.locator(f"{card}[data-status=on_scene]").wait_for(timeout=STEP_MS)
        request.refresh_from_db()
        assert request.status == "on_scene"
        assert len(_events(request, "on_scene")) == 1
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()
