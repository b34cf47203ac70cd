"""The dispatch measures on a small district, against hand-counted figures."""

from __future__ import annotations

import datetime as dt

import pytest

from safeops.reports.disclosure import Figure, derived_cells
from safeops.reports.measures import dispatch_report
from tests.safeops.factories import DistrictFactory, SchoolFactory, ZoneFactory
from tests.safeops.reports.fixture import request as fixture_request

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
END = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def _request(school, zone, category, priority, *, minutes=None, created=START):  # type: ignore[no-untyped-def]
    fixture_request(school, zone, category, priority, minutes, at=created + dt.timedelta(hours=1))


def test_sso_runs_and_response_times_through_disclosure_control() -> None:
    district = DistrictFactory()
    school = SchoolFactory(district=district)
    zone_a, zone_b = ZoneFactory(district=district), ZoneFactory(district=district)
    for minute in range(1, 13):  # zone A: 12 fights, P1, on scene after 1, 2, ..., 12 minutes
        _request(school, zone_a, "fight_assault", "p1", minutes=minute)
    for _ in range(3):  # zone A: 3 medical assists, P2, never on scene
        _request(school, zone_a, "medical_assist", "p2")
    for minute in (20,) * 10 + (40,) * 5:  # zone B: 15 patrol checks, P3
        _request(school, zone_b, "patrol_check", "p3", minutes=minute)
    for minute in (3, 5):  # zone B: 2 weapons, P1
        _request(school, zone_b, "weapon", "p1", minutes=minute)
    # outside the period: not counted
    _request(school, zone_b, "weapon", "p1", minutes=3, created=END)

    report = dispatch_report(district_id=district.pk, start=START, end=END)
    cells = report.protection.table_set.cells
    a, b = str(zone_a.pk), str(zone_b.pk)
    # hand counts: A = 12 + 3 = 15 runs, B = 15 + 2 = 17, district 32
    assert cells[("runs_by_category", a, "fight_assault")] == 12
    assert cells[("runs_by_category", a, "total")] == 15
    assert cells[("runs_by_priority", b, "total")] == 17
    assert cells[("runs_by_priority", "total", "p1")] == 14
    assert report.protection.count(("runs_by_category", "total", "total")) == 32
    # 3 medical assists in A and 2 weapons in B are under 10: suppressed, and not derivable
    for small in [("runs_by_category", a, "medical_assist"), ("runs_by_priority", b, "p1")]:
        assert report.protection.count(small) is None
    assert derived_cells(report.protection.table_set, report.protection.suppressed) == set()

    response = {figures.priority: figures for figures in report.response}
    # P1 on scene: minutes 1..12 and 3, 5 -> sorted 1 2 3 3 4 5 5 6 7 8 9 10 11 12 (n = 14)
    # p50 rank ceil(7) = 7 -> 5; p90 rank ceil(12.6) = 13 -> 11; within 5 minutes: 7 (< 10)
    assert response["p1"].count == Figure(14)
    assert response["p1"].p50_minutes == Figure(5.0)
    assert response["p1"].p90_minutes == Figure(11.0)
    assert response["p1"].within_target == Figure(None, "suppressed")
    # P3: 10 at 20 and 5 at 40 minutes (n = 15): p50 rank 8 -> 20, p90 rank ceil(13.5) = 14 -> 40;
    # 5 over the 30-minute target is a small cell, so the 10 within is hidden as its complement
    assert response["p3"].p50_minutes == Figure(20.0)
    assert response["p3"].p90_minutes == Figure(40.0)
    assert response["p3"].within_target == Figure(None, "suppressed")
    assert response["p3"].target_minutes == 30
    # P2: none reached the scene
    assert response["p2"].count == Figure(0)
    assert response["p2"].p50_minutes == Figure(None)
