"""A request held by zone A's officer, taken to on scene or cleared with a given outcome."""

from __future__ import annotations

from typing import Any

import pytest

from safeops.dispatch.choices import ENFORCEMENT_DISPOSITIONS
from safeops.dispatch.models import SupportRequest
from safeops.dispatch.services import DemographicsInput, request_assign, request_transition
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixtures
from tests.safeops.dispatch.conftest import dispatch as dispatch


def attended(d: DispatchScenario, *, category: str = "fight_assault") -> SupportRequest:
    """A request of school A, assigned to officer A, who is on scene."""
    request = d.file(category=category)
    request_assign(request_id=request.pk, officer_id=d.officer_a.pk, actor=d.dispatcher)
    request_transition(request_id=request.pk, to_status="on_scene", actor=d.officer_a.user)
    request.refresh_from_db()
    return request


def cleared(
    d: DispatchScenario, *, disposition: str = "resolved_on_scene", **kwargs: Any
) -> SupportRequest:
    request = attended(d, **kwargs)
    demographics = None
    if disposition in ENFORCEMENT_DISPOSITIONS:
        demographics = DemographicsInput("Weapon on campus", "asian", "female", "idea", "yes")
    request_transition(
        request_id=request.pk,
        to_status="cleared",
        disposition=disposition,
        demographics=demographics,
        actor=d.officer_a.user,
    )
    request.refresh_from_db()
    return request


@pytest.fixture
def scene(dispatch: DispatchScenario) -> DispatchScenario:
    return dispatch
