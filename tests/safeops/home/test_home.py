"""The role home page: an SA sees each of their schools with the SSO who answers its calls."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from safeops.zones.models import ZoneMembership
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario


@pytest.mark.django_db
def test_sa_home_names_the_zone_officer_and_flags_a_school_without_one(
    scenario: ScenarioDistrict,
) -> None:
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    officer = scenario.people[Role.SSO]
    Assignment.objects.create(person=sa, school=scenario.high_b, starts_on=timezone.localdate())
    ZoneMembership.objects.filter(school=scenario.high_b).delete()  # high_b is in no zone now
    client = Client()
    client.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    page = client.get("/").content.decode()
    my_schools = page[page.index('id="my-schools"') :]
    row_a = my_schools[my_schools.index(f'href="/schools/{scenario.school_a.pk}/"') :].split(
        "</tr>"
    )[0]
    row_b = my_schools[my_schools.index(f'href="/schools/{scenario.high_b.pk}/"') :].split("</tr>")[
        0
    ]
    assert officer.full_name in row_a
    assert "(Zone A)" in row_a
    assert "No officer assigned" in row_b
    assert officer.full_name not in row_b
