from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeops.zones.models import ZoneMembership
from safeops.zones.services import zone_create, zone_set_schools
from tests.safeops.factories import DistrictFactory, SchoolFactory

JULY = dt.date(2026, 7, 1)
JANUARY = dt.date(2027, 1, 4)


@pytest.mark.django_db
def test_changing_zone_schools_keeps_history() -> None:
    district = DistrictFactory()
    a, b, c = (SchoolFactory(district=district) for _ in range(3))
    zone = zone_create(district=district, name="North 1", actor="system:test")
    zone_set_schools(zone=zone, schools=[a, b], starts_on=JULY, actor="system:test")
    zone_set_schools(zone=zone, schools=[b, c], starts_on=JANUARY, actor="system:test")

    rows = {(m.school_id, m.starts_on, m.ends_on) for m in ZoneMembership.objects.filter(zone=zone)}
    assert rows == {(a.pk, JULY, JANUARY), (b.pk, JULY, None), (c.pk, JANUARY, None)}


@pytest.mark.django_db
def test_a_school_is_in_one_zone_at_a_time() -> None:
    district = DistrictFactory()
    school = SchoolFactory(district=district, name="Shared Elementary")
    first = zone_create(district=district, name="First", actor="system:test")
    second = zone_create(district=district, name="Second", actor="system:test")
    zone_set_schools(zone=first, schools=[school], starts_on=JULY, actor="system:test")
    with pytest.raises(ValidationError, match="Shared Elementary is already in zone First"):
        zone_set_schools(zone=second, schools=[school], starts_on=JANUARY, actor="system:test")
    assert not ZoneMembership.objects.filter(zone=second).exists()
