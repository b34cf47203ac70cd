"""The officer snapshot follows this process's writes without reloading (no query per call)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeops.dispatch.recommend import officer_snapshot
from safeops.dispatch.services import (
    officer_position_update,
    request_assign,
    request_candidates,
)
from safeops.zones.services import zone_set_schools
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_assignment_patches_the_snapshot_and_ranking_needs_no_query(
    dispatch: DispatchScenario,
) -> None:
    first = dispatch.file()
    assert request_candidates(request=first)[0].officer_id == dispatch.officer_a.pk
    request_assign(request_id=first.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher)
    second = dispatch.file(summary="Another fight by the gym")
    with CaptureQueriesContext(connection) as queries:
        ranked = request_candidates(request=second)
    assert [c.officer_id for c in ranked] == [dispatch.officer_b.pk]
    assert len(queries) == 0


def test_a_position_ping_moves_the_officer_in_the_cached_snapshot(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file()
    before = {c.officer_id: c.eta_minutes for c in request_candidates(request=request)}
    officer_snapshot(dispatch.s.district.pk)  # cached now
    officer_position_update(
        officer=dispatch.officer_b,
        latitude=request.latitude,
        longitude=request.longitude,
        actor="system:test",
    )
    with CaptureQueriesContext(connection) as queries:
        ranked = request_candidates(request=request)
    assert len(queries) == 0
    etas = {c.officer_id: c.eta_minutes for c in ranked}
    assert etas[dispatch.officer_b.pk] < before[dispatch.officer_b.pk]


def test_a_school_moved_to_another_zone_files_into_the_new_zone_at_once(
    dispatch: DispatchScenario,
) -> None:
    assert dispatch.file().zone_id == dispatch.s.zone_a.pk
    today = timezone.localdate()
    s = dispatch.s
    zone_set_schools(zone=s.zone_a, schools=[s.high_a], starts_on=today, actor="system:test")
    zone_set_schools(
        zone=s.zone_b, schools=[s.high_b, s.school_b, s.school_a], starts_on=today, actor="t"
    )
    assert dispatch.file(summary="A second call").zone_id == dispatch.s.zone_b.pk
