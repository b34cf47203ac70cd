"""Reads of the district model for the reports (the feature apps' facts come through their own
selectors). Staffing counts schools and zones, not people: nothing to suppress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from safeops.schools.choices import HIGH_SCHOOL_LEVELS, SchoolLevel
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from safeops.zones.models import Zone


@dataclass(frozen=True)
class Staffing:
    middle_schools: int
    middle_with_sa: int
    high_schools: int  # high and combined schools
    high_with_sa: int
    zones: int
    zones_with_sso: int


def staffing(*, district_id: int, on: dt.date) -> Staffing:
    """Middle and high schools with a Safety Administrator assigned on `on`, and zones with an
    SSO assigned on `on` (an assignment runs from `starts_on` until `ends_on`, exclusive)."""
    current = Assignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=on),
        person__district_id=district_id,
        starts_on__lte=on,
    )
    with_sa = set(
        current.filter(person__role=Role.SAFETY_ADMINISTRATOR, school__isnull=False).values_list(
            "school_id", flat=True
        )
    )
    with_sso = set(
        current.filter(person__role=Role.SSO, zone__isnull=False).values_list("zone_id", flat=True)
    )
    schools = School.objects.filter(district_id=district_id)
    middle = set(schools.filter(level=SchoolLevel.MIDDLE).values_list("pk", flat=True))
    high = set(schools.filter(level__in=HIGH_SCHOOL_LEVELS).values_list("pk", flat=True))
    zones = set(Zone.objects.filter(district_id=district_id).values_list("pk", flat=True))
    return Staffing(
        middle_schools=len(middle),
        middle_with_sa=len(middle & with_sa),
        high_schools=len(high),
        high_with_sa=len(high & with_sa),
        zones=len(zones),
        zones_with_sso=len(zones & with_sso),
    )
