"""A school's place and zone come from one snapshot of every school, loaded once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeops.dispatch.services import school_place
from safeops.schools.models import School
from safeops.zones.models import ZoneMembership
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.factories import SchoolFactory

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def test_every_school_is_placed_by_one_load(dispatch: DispatchScenario) -> None:
    s = dispatch.s
    unzoned = SchoolFactory(district=s.district)
    with CaptureQueriesContext(connection) as first:
        assert school_place(school_id=s.school_a.pk) == (s.school_a, s.zone_a)
    with CaptureQueriesContext(connection) as rest:
        assert school_place(school_id=s.school_b.pk) == (s.school_b, s.zone_b)
        assert school_place(school_id=s.high_a.pk) == (s.high_a, s.zone_a)
        assert school_place(school_id=unzoned.pk) == (unzoned, None)
    assert 0 < len(first) <= 3
    assert len(rest) == 0


def test_a_school_added_since_the_load_is_still_found(dispatch: DispatchScenario) -> None:
    school_place(school_id=dispatch.s.school_a.pk)  # the snapshot is loaded
    # bulk_create sends no signal: as if another server process had added the school.
    (added,) = School.objects.bulk_create(
        [
            School(
                district=dispatch.s.district,
                name="New Middle",
                level=dispatch.s.school_a.level,
                latitude=38.2,
                longitude=-85.7,
                enrollment=300,
            )
        ]
    )
    place = school_place(school_id=added.pk)
    assert place is not None
    assert place[0].pk == added.pk
    assert place[1] is None
    assert school_place(school_id=added.pk + 1000) is None
    # Placed in a zone elsewhere too: the school's own load finds its zone.
    ZoneMembership.objects.bulk_create(
        [ZoneMembership(zone=dispatch.s.zone_b, school=added, starts_on=dt.date(2020, 1, 1))]
    )
    assert school_place(school_id=added.pk) == (added, dispatch.s.zone_b)
