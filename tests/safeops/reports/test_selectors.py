"""Staffing on a small district, hand-counted."""

from __future__ import annotations

import datetime as dt

import pytest

from safeops.reports.selectors import Staffing, staffing
from safeops.schools.choices import SchoolLevel
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from tests.safeops.factories import DistrictFactory, PersonFactory, SchoolFactory, ZoneFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 10, 1)


def test_schools_with_an_sa_and_zones_with_an_sso_on_a_date() -> None:
    district = DistrictFactory()
    other = DistrictFactory()
    middle_1, middle_2 = (SchoolFactory(district=district, level=SchoolLevel.MIDDLE) for _ in "12")
    high = SchoolFactory(district=district, level=SchoolLevel.HIGH)
    combined = SchoolFactory(district=district, level=SchoolLevel.COMBINED)
    SchoolFactory(district=district, level=SchoolLevel.ELEMENTARY)
    zone_1, zone_2, _zone_3 = (ZoneFactory(district=district) for _ in "123")  # 3: nobody
    sa = PersonFactory(district=district, role=Role.SAFETY_ADMINISTRATOR)
    sso = PersonFactory(district=district, role=Role.SSO)
    principal = PersonFactory(district=district, role=Role.PRINCIPAL)
    start = dt.date(2026, 8, 1)
    Assignment.objects.create(person=sa, school=middle_1, starts_on=start)  # counts
    Assignment.objects.create(person=sa, school=high, starts_on=start, ends_on=ON)  # ended
    Assignment.objects.create(person=sa, school=combined, starts_on=ON)  # starts today
    Assignment.objects.create(person=principal, school=middle_2, starts_on=start)  # not an SA
    Assignment.objects.create(person=sso, zone=zone_1, starts_on=start)
    Assignment.objects.create(person=sso, zone=zone_2, starts_on=dt.date(2026, 10, 2))  # later
    SchoolFactory(district=other, level=SchoolLevel.MIDDLE)  # another district
    # middle: 2 schools, 1 with an SA (middle_1); high + combined: 2, 1 (combined from today);
    # zones: 3, 1 with an SSO (zone_1)
    assert staffing(district_id=district.pk, on=ON) == Staffing(
        middle_schools=2,
        middle_with_sa=1,
        high_schools=2,
        high_with_sa=1,
        zones=3,
        zones_with_sso=1,
    )
