"""The training risk score is explained in words: the page says how it is computed and, under
each score, what it adds up; states read as words ("On track"), not codes ("on_track")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.training.helpers import done, firearm, pops, seed

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def test_each_score_says_what_it_adds_up(scenario: ScenarioDistrict) -> None:
    today = timezone.localdate()
    seed(scenario.district, from_year=today.year - 3)
    officer = scenario.people[Role.SSO]
    previous_year = dt.date(today.year - 1 if today.month >= 7 else today.year - 2, 10, 1)
    done(officer, "pops-in-service", 40, previous_year)
    firearm(officer, today + dt.timedelta(days=365))
    expired = today - dt.timedelta(days=3)
    pops(officer, expired)
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    page = client.get("/training/district/").content.decode()
    assert "The risk score adds points for what needs doing: 1000 if the person has lapsed" in page
    row = page[page.index(f'<tr data-person="{officer.pk}">') :]
    row = row[: row.index("</tr>")]
    score = re.search(r"<strong>(\d+)</strong><div class=\"muted risk-words\">([^<]*)</div>", row)
    assert score is not None
    words = score.group(2)
    assert words.startswith("lapsed (1000) + POPS expired (300)")
    points = [int(p) for p in re.findall(r"\((\d+)\)", words)]
    assert sum(points) == int(score.group(1))  # the words add up to the score
    for code in ("on_track", "behind<", "expired<", "missing<", ">valid<"):
        assert code not in row
