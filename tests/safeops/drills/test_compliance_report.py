"""Acceptance 2: on the demo calendar, the November 1 verification names the exact missing
drill of each non-compliant school, checked against a table built by hand.

The demo calendar for 2026-27, counted by hand: first day Wed 2026-08-12; Labor Day Mon
09-07 is off, so instructional day 30 is Wed 2026-09-23. Fire months: August ends 08-31,
September 09-30, October 10-30 (fall break 10-05..09; 10-31 is a Saturday). November opens
11-02, after the report date.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from safeops.drills.selectors import verification_report_for_user
from safeops.staff.choices import Role
from tests.safeops.drills.helpers import kentucky_year, log
from tests.safeops.factories import DistrictFactory, PersonFactory, SchoolFactory, UserFactory

D = dt.date
FULL = {
    "fire": [D(2026, 8, 13), D(2026, 8, 20), D(2026, 9, 10), D(2026, 10, 15)],
    "lockdown": [D(2026, 9, 1)],
    "severe_weather": [D(2026, 9, 2)],
    "earthquake": [D(2026, 9, 3)],
}


def without(code: str, *days: D) -> dict[str, list[D]]:
    log_ = {k: list(v) for k, v in FULL.items()}
    log_[code] = [d for d in log_[code] if d not in days] if days else []
    return log_


DRILL_LOGS = {
    "Alpha High": FULL,
    "Bravo Middle": without("lockdown"),
    # One instructional day late (09-24 is day 31), and no extra fire drill.
    "Charlie Elementary": {
        **without("fire", D(2026, 8, 13)),
        "lockdown": [D(2026, 9, 24)],
    },
    "Delta High": {**without("earthquake"), "fire": FULL["fire"][:3]},
    # Every drill of the first window held on its last day (the boundary counts).
    "Echo Middle": {
        "fire": [D(2026, 8, 31), D(2026, 9, 23), D(2026, 9, 30), D(2026, 10, 30)],
        "lockdown": [D(2026, 9, 23)],
        "severe_weather": [D(2026, 9, 23)],
        "earthquake": [D(2026, 9, 23)],
    },
    "Foxtrot Elementary": {},
}

EXPECTED = {
    "Alpha High": [],
    "Bravo Middle": ["no lockdown drill within instructional days 1–30 (ended 2026-09-23)"],
    "Charlie Elementary": [
        "no extra fire drill within instructional days 1–30 (ended 2026-09-23)",
        "no lockdown drill within instructional days 1–30 (ended 2026-09-23)",
    ],
    "Delta High": [
        "no earthquake drill within instructional days 1–30 (ended 2026-09-23)",
        "no fire drill in October 2026 (ended 2026-10-30)",
    ],
    "Echo Middle": [],
    "Foxtrot Elementary": [
        "no fire drill in August 2026 (ended 2026-08-31)",
        "no earthquake drill within instructional days 1–30 (ended 2026-09-23)",
        "no extra fire drill within instructional days 1–30 (ended 2026-09-23)",
        "no lockdown drill within instructional days 1–30 (ended 2026-09-23)",
        "no severe weather drill within instructional days 1–30 (ended 2026-09-23)",
        "no fire drill in September 2026 (ended 2026-09-30)",
        "no fire drill in October 2026 (ended 2026-10-30)",
    ],
}


@pytest.fixture
def district_with_log(db: None) -> tuple[object, object]:
    district = DistrictFactory(name="Report district")
    year = kentucky_year(district)
    for index, (name, drills) in enumerate(DRILL_LOGS.items()):
        school = SchoolFactory(district=district, name=name, code=f"KY{index}")
        for code, days in drills.items():
            for day in days:
                log(school, code, day)
    chief = PersonFactory(
        district=district, role=Role.SECURITY_CHIEF, user=UserFactory(username="chief-r")
    )
    return year, chief.user


def test_the_report_names_the_exact_missing_drills(district_with_log: tuple) -> None:  # type: ignore[type-arg]
    year, chief = district_with_log
    report = verification_report_for_user(user=chief, year_id=year.pk)
    assert report.on == D(2026, 11, 1)
    got = {row.school.name: row.missing for row in report.rows}
    assert got == EXPECTED
    assert {row.school.name for row in report.rows if row.compliant} == {
        "Alpha High",
        "Echo Middle",
    }


def test_the_report_as_csv_and_as_a_printable_page(district_with_log: tuple) -> None:  # type: ignore[type-arg]
    year, chief = district_with_log
    client = Client()
    client.force_login(chief)
    response = client.get(f"/drills/report/{year.pk}.csv")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("school,state_code,as_of,krs_158_162_compliant,")
    bravo = next(line for line in lines if line.startswith("Bravo Middle"))
    assert ",2026-11-01,no," in bravo
    assert "no lockdown drill within instructional days 1–30 (ended 2026-09-23)" in bravo
    page = client.get(f"/drills/report/{year.pk}/")
    assert page.status_code == 200
    assert "2 of 6 schools compliant" in page.content.decode()
