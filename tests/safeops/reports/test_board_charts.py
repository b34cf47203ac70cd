"""The board report's charts and zone map draw published figures only, and the terms."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import translation

from safeops.core.geo import outline
from safeops.reports.board.charts import response_chart, runs_chart, zone_map
from safeops.reports.board.context import chart_uri
from safeops.reports.board.figures import Cell, PublishedCounts, Row, Table, ZoneShape, _figure
from safeops.reports.disclosure import Figure
from safeops.reports.terms import Term, parse_term, recent_terms, term_of


def test_a_suppressed_count_is_drawn_as_suppressed_never_as_its_value() -> None:
    svg = runs_chart([("Weapon", None), ("Fight or assault", 12)])
    assert svg.startswith("<?xml") and "Fight or assault" in svg
    assert ">12<" in svg and "suppressed" in svg


def test_the_zone_map_shades_published_zones_and_hatches_suppressed_ones() -> None:
    zones = [
        ZoneShape("1", 1, "North", outline([(-85.7, 38.2), (-85.6, 38.25), (-85.65, 38.3)])),
        ZoneShape("2", 2, "South", outline([(-85.7, 38.0), (-85.6, 38.05), (-85.65, 38.1)])),
        ZoneShape("3", 3, "Empty", None),  # no school: not drawn
    ]
    svg = zone_map(zones, {"1": 42, "2": None, "3": 0})
    assert "North" in svg and ">42<" in svg and "South" in svg and "Empty" not in svg
    assert 'id="h' in svg  # matplotlib's hatch pattern: the suppressed zone


def test_a_withheld_percentile_is_not_drawn() -> None:
    table = Table(
        "response_time",
        ["target", "on scene", "p50", "p90", "within"],
        [
            Row(
                "p1",
                "P1 emergency",
                [Cell(5), Cell(14), Cell(3.0), Cell(11.0), Cell(None, "suppressed")],
            ),
            Row(
                "p2",
                "P2 urgent",
                [Cell(10), Cell(None, "suppressed")]
                + [Cell(None, "built_on_suppressed")] * 2
                + [Cell(None, "suppressed")],
            ),
        ],
    )
    svg = response_chart(table)
    assert "P1 emergency" in svg and "suppressed or no data" in svg


def test_terms_run_july_to_december_and_january_to_june_as_the_report_periods() -> None:
    fall = term_of(dt.date(2026, 12, 4))
    assert fall == Term(2026, "fall") and fall.key == "2026-fall"
    assert (fall.first_day, fall.last_day) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert fall.period == "2026-27-fall"
    spring = term_of(dt.date(2027, 6, 30))
    assert (spring.first_day, spring.end_day) == (dt.date(2027, 1, 1), dt.date(2027, 7, 1))
    assert spring.period == "2026-27-spring" and term_of(dt.date(2027, 7, 1)).half == "fall"
    today = dt.date(2026, 12, 4)
    assert parse_term("2025-spring", today=today) == Term(2025, "spring")
    assert parse_term("nonsense", today=today) == fall == parse_term(None, today=today)
    assert [t.key for t in recent_terms(today=today, count=3)] == [
        "2026-fall",
        "2026-spring",
        "2025-fall",
    ]


def test_a_chart_is_drawn_once_per_content_and_language() -> None:
    drawn: list[object] = []

    def draw(totals: list[tuple[str, int | None]]) -> str:
        drawn.append(totals)
        return runs_chart(totals)

    totals: list[tuple[str, int | None]] = [(f"Weapon {uuid.uuid4().hex}", 12)]
    with translation.override("en"):
        first = chart_uri("runs", lambda: draw(totals), totals)
        again = chart_uri("runs", lambda: draw(totals), totals)
    assert first == again and first.startswith("data:image/svg+xml;base64,")
    assert len(drawn) == 1
    with translation.override("es"):
        chart_uri("runs", lambda: draw(totals), totals)
    assert len(drawn) == 2  # the Spanish chart labels its axis in Spanish
    changed: list[tuple[str, int | None]] = [(totals[0][0], 13)]
    with translation.override("en"):
        chart_uri("runs", lambda: draw(changed), changed)
    assert len(drawn) == 3  # a new refresh's figures draw a new chart


def test_a_published_percentile_is_shown_withheld_or_absent_for_its_reason() -> None:
    counts = PublishedCounts(
        {
            ("district", "response_p1", "total", "count"): 14.0,
            ("district", "response_p1", "total", "p50"): 5.0,
            ("district", "response_p2", "total", "count"): 0.0,  # none on scene: no time
            ("district", "response_p3", "total", "count"): None,  # withheld
        }
    )
    assert _figure(counts, "response_p1", "total", "p50") == Figure(5.0)
    assert _figure(counts, "response_p1", "total", "count") == Figure(14)
    assert _figure(counts, "response_p2", "total", "p50") == Figure(None)
    assert _figure(counts, "response_p3", "total", "count") == Figure(None, "suppressed")
    assert _figure(counts, "response_p3", "total", "p90") == Figure(None, "built_on_suppressed")
