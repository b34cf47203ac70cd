"""iCalendar text (RFC 5545): line endings, folding and escaping."""

from __future__ import annotations

import datetime as dt

from safeops.core import ical


def test_ical_lines_use_crlf_and_fold_at_75_octets() -> None:
    event = ical.Event(
        uid="1-fire@safeops",
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 9, 30),
        summary="Fire drill due: École Saint-Exupéry, a long name; with commas",
        description="x" * 200,
    )
    text = ical.calendar_text(
        name="Drills", events=[event], stamp=dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20260901" in unfolded
    assert "DTEND;VALUE=DATE:20261001" in unfolded
    assert "DTSTAMP:20260901T120000Z" in unfolded
    assert "UID:1-fire@safeops" in unfolded
    assert "SUMMARY:Fire drill due: École Saint-Exupéry\\, a long name\\; with commas" in unfolded
