"""The creation → first assignment histogram (Prometheus, safeops.core.metrics)."""

from __future__ import annotations

from typing import Any

import pytest
from prometheus_client import REGISTRY

from safeops.dispatch.services import request_assign
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = pytest.mark.shared_scenario

COUNT = "safeops_dispatch_assignment_seconds_count"


def test_the_first_assignment_is_observed_once_after_commit(
    dispatch: DispatchScenario, django_capture_on_commit_callbacks: Any
) -> None:
    before = REGISTRY.get_sample_value(COUNT) or 0.0
    request = dispatch.file()
    assert request.assigned_at is None and REGISTRY.get_sample_value(COUNT) == before
    with django_capture_on_commit_callbacks(execute=True):
        request_assign(
            request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
        )
    assert REGISTRY.get_sample_value(COUNT) == before + 1
    with django_capture_on_commit_callbacks(execute=True):  # a reassignment is not a first one
        request_assign(
            request_id=request.pk, officer_id=dispatch.officer_b.pk, actor=dispatch.dispatcher
        )
    assert REGISTRY.get_sample_value(COUNT) == before + 1
