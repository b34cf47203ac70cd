"""Firearm qualification is a certification of the ledger: required of SSOs, shown beside POPS
on the training pages, and an expired one lapses the officer there and in dispatch's flag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from safeops.staff.choices import Role
from safeops.training.selectors import lapsed_officers
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.training.helpers import done, firearm, pops, seed

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def test_an_expired_firearm_qualification_shows_lapsed_beside_pops(
    scenario: ScenarioDistrict,
) -> None:
    today = timezone.localdate()
    seed(scenario.district, from_year=today.year - 3)
    officer = scenario.people[Role.SSO]
    previous_year = dt.date(today.year - 1 if today.month >= 7 else today.year - 2, 10, 1)
    done(officer, "pops-in-service", 40, previous_year)
    pops(officer, today + dt.timedelta(days=400))
    expired = today - dt.timedelta(days=3)
    firearm(officer, expired)
    reason = f"Firearm qualification certification expired {expired.isoformat()}"
    assert lapsed_officers(district_id=scenario.district.pk, on=today) == {officer.pk: reason}

    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    page = client.get(f"/training/people/{officer.pk}/").content.decode()
    assert "POPS" in page and "Firearm qualification" in page
    assert reason in page  # the lapsed banner
    district = client.get("/training/district/").content.decode()
    assert reason in district

    firearm(officer, today + dt.timedelta(days=365))
    assert lapsed_officers(district_id=scenario.district.pk, on=today) == {}
