"""The dispatcher's board re-draws its request list on every live event: a reason being typed
to send an officer whose SRO standing lapsed must survive a new call arriving meanwhile (on a
busy board calls arrive every few seconds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeops.dispatch.choices import LapsedPolicy
from safeops.dispatch.models import DispatchSettings
from tests.safeops.browser.accessibility import STEP_MS, watched_page
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixtures
from tests.safeops.dispatch.conftest import dispatch as dispatch
from tests.safeops.training.helpers import pops, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "Only officer within ten minutes of the school"


def test_a_reason_being_typed_survives_a_new_call(
    browser: Any, asgi_server: str, dispatch: DispatchScenario
) -> None:
    DispatchSettings.objects.create(
        district=dispatch.s.district, lapsed_policy=LapsedPolicy.ALLOW_WITH_REASON
    )
    seed(dispatch.s.district)
    pops(dispatch.officer_a, timezone.localdate() - dt.timedelta(days=1))  # lapsed
    first = dispatch.file()
    context, board, errors = watched_page(browser, asgi_server, dispatch.dispatcher)
    reason = f"#override-{first.pk}-{dispatch.officer_a.pk}"
    try:
        board.goto("/dispatch/board/")
        board.locator("#live-indicator[data-state=live]").wait_for(timeout=STEP_MS)
        board.locator(reason).fill(REASON)
        second = dispatch.file(summary="Another call: a man without a badge at the side door")
        board.locator(f"#board-requests [data-request-id='{second.pk}']").wait_for(timeout=STEP_MS)
        assert board.locator(reason).input_value() == REASON
        board.wait_for_function(
            "id => document.activeElement && document.activeElement.id === id",
            arg=reason[1:],
            timeout=STEP_MS,
        )
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()
