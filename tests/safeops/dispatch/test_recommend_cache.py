"""The officer snapshot follows this process's writes without reloading (no query per call)."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeops.dispatch import holds, recommend
from safeops.dispatch.exceptions import DispatchConflict
from safeops.dispatch.models import DispatchSettings, OfficerStatus
from safeops.dispatch.recommend import officer_snapshot
from safeops.dispatch.services import (
    officer_duty_set,
    officer_position_update,
    request_assign,
    request_candidates,
)
from safeops.dispatch.services import transitions as services
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


def test_a_stale_snapshot_is_reloaded_in_the_background_and_keeps_later_pings(
    dispatch: DispatchScenario, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Callers get the cached snapshot at once; the reload replays a ping made while it ran."""
    settings.BACKGROUND_REFRESH = True
    district = dispatch.s.district.pk
    first = officer_snapshot(district)
    row = int(np.flatnonzero(first.person_ids == dispatch.officer_b.pk)[0])
    monkeypatch.setattr(recommend, "CACHE_SECONDS", 0.0)  # every snapshot is stale now

    loading = threading.Event()
    release = threading.Event()
    real_load = recommend._load

    def slow_load(district_id: int) -> recommend.OfficerSnapshot:
        loaded = real_load(district_id)  # reads the rows before the ping below
        loading.set()
        release.wait(10)
        return loaded

    monkeypatch.setattr(recommend, "_load", slow_load)
    assert officer_snapshot(district) is first  # stale: served at once, reload started
    assert loading.wait(10)
    officer_position_update(  # committed while the reload holds older rows
        officer=dispatch.officer_b, latitude=38.5, longitude=-85.5, actor="system:test"
    )
    release.set()
    _wait_until(lambda: not recommend._refreshing)
    reloaded = recommend._cache[district]
    assert reloaded is not first and reloaded.loaded_at > first.loaded_at
    assert (reloaded.locations.lat[row], reloaded.locations.lon[row]) == (38.5, -85.5)


def test_a_duty_change_during_a_reload_discards_it(
    dispatch: DispatchScenario, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.BACKGROUND_REFRESH = True
    district = dispatch.s.district.pk
    officer_snapshot(district)
    monkeypatch.setattr(recommend, "CACHE_SECONDS", 0.0)
    loading, release = threading.Event(), threading.Event()
    real_load = recommend._load

    def slow_load(district_id: int) -> recommend.OfficerSnapshot:
        loaded = real_load(district_id)
        loading.set()
        release.wait(10)
        return loaded

    monkeypatch.setattr(recommend, "_load", slow_load)
    officer_snapshot(district)
    assert loading.wait(10)
    officer_duty_set(officer=dispatch.officer_b, on_duty=False, actor=dispatch.dispatcher)
    release.set()
    _wait_until(lambda: not recommend._refreshing)
    assert district not in recommend._cache  # the next call loads again, without officer B
    assert dispatch.officer_b.pk not in officer_snapshot(district).person_ids


def _wait_until(condition: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_conflict_teaches_the_snapshot_what_another_process_assigned(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file()
    assert request_candidates(request=request)[0].officer_id == dispatch.officer_a.pk
    # Another server process gave officer A a request: this process's snapshot does not know.
    OfficerStatus.objects.filter(person=dispatch.officer_a).update(open_request_count=1)
    with pytest.raises(DispatchConflict):
        request_assign(
            request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
        )
    with CaptureQueriesContext(connection) as queries:
        ranked = request_candidates(request=request)
    assert len(queries) == 0
    assert [c.officer_id for c in ranked] == [dispatch.officer_b.pk]


def test_an_officer_being_assigned_is_not_offered_again_meanwhile(
    dispatch: DispatchScenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = dispatch.file()
    second = dispatch.file(summary="A second fight by the gym")
    a, b = dispatch.officer_a.pk, dispatch.officer_b.pk
    seen_during: list[list[int]] = []
    transition = services._transition

    def observed(*args: Any, **kwargs: Any) -> Any:
        seen_during.append([c.officer_id for c in request_candidates(request=second)])
        return transition(*args, **kwargs)

    monkeypatch.setattr(services, "_transition", observed)
    request_assign(request_id=first.pk, officer_id=a, actor=dispatch.dispatcher)
    assert seen_during == [[b]]  # before the commit patched the snapshot
    assert holds.assignments_in_flight() == {}
    assert [c.officer_id for c in request_candidates(request=second)] == [b]

    # With stacking, an assignment in flight counts as one more open request.
    DispatchSettings.objects.update_or_create(
        district=dispatch.s.district, defaults={"allow_stacking": True, "max_stacked": 3}
    )
    with holds.assignment_in_flight(a), holds.assignment_in_flight(a):
        ranked = {c.officer_id for c in request_candidates(request=second)}
        assert a not in ranked  # one open + two in flight = 3
    assert a in {c.officer_id for c in request_candidates(request=second)}


def test_another_process_assignment_shows_within_the_loads_interval(
    dispatch: DispatchScenario, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between full reloads, only the open-request counts are re-read (one narrow query)."""
    settings.BACKGROUND_REFRESH = True
    monkeypatch.setattr(recommend, "CACHE_SECONDS", 3600.0)  # no full reload in this test
    monkeypatch.setattr(recommend, "LOADS_SECONDS", 0.05)
    request = dispatch.file()
    district = dispatch.s.district.pk
    assert request_candidates(request=request)[0].officer_id == dispatch.officer_a.pk
    full_loads: list[int] = []
    real_load = recommend._load
    monkeypatch.setattr(recommend, "_load", lambda d: full_loads.append(d) or real_load(d))
    # Another server process gave officer A a request.
    OfficerStatus.objects.filter(person=dispatch.officer_a).update(open_request_count=1)
    time.sleep(0.06)
    officer_snapshot(district)  # stale counts: served at once, the counts re-read behind
    _wait_until(lambda: not recommend._refreshing)
    assert [c.officer_id for c in request_candidates(request=request)] == [dispatch.officer_b.pk]
    assert full_loads == []
