"""A patrol scenario on top of the shared one: fixed places, bells, two SSOs in two zones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from safeops.patrol.models import BellSchedule, PatrolSettings
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from tests.safeops.factories import PersonFactory, ScenarioDistrict, UserFactory

# Area A around (38.20, -85.70); area B about 11 km east.
PLACES = {
    "high_a": (38.200, -85.700),
    "school_a": (38.210, -85.690),
    "high_b": (38.200, -85.575),
    "school_b": (38.210, -85.565),
}
BELLS = {"high_a": (7 * 60 + 30, 14 * 60 + 10), "school_a": (8 * 60 + 40, 15 * 60 + 20)}


@dataclass
class PatrolScenario:
    s: ScenarioDistrict
    officer_a: Person
    officer_b: Person
    chief: Any
    dispatcher: Any
    sa: Any

    @property
    def today(self) -> dt.date:
        return timezone.localdate()


def a_weekday(start: dt.date) -> dt.date:
    day = start
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def patrol(scenario: ScenarioDistrict) -> PatrolScenario:
    s = scenario
    for name, (lat, lon) in PLACES.items():
        school: School = getattr(s, name)
        School.objects.filter(pk=school.pk).update(latitude=lat, longitude=lon)
        school.latitude, school.longitude = lat, lon
    for name, (start, end) in BELLS.items():
        BellSchedule.objects.create(school=getattr(s, name), start_minute=start, end_minute=end)
    # Plans every day, so tests that use today run on a weekend too.
    PatrolSettings.objects.create(district=s.district, weekends=True)
    officer_b = PersonFactory(
        district=s.district,
        role=Role.SSO,
        full_name="B Officer",
        user=UserFactory(username="sso-b"),
    )
    Assignment.objects.create(
        person=officer_b, zone=s.zone_b, starts_on=timezone.localdate() - dt.timedelta(days=30)
    )
    return PatrolScenario(
        s=s,
        officer_a=s.people[Role.SSO],
        officer_b=officer_b,
        chief=s.users[Role.SECURITY_CHIEF],
        dispatcher=s.users[Role.DISPATCHER],
        sa=s.users[Role.SAFETY_ADMINISTRATOR],
    )
