"""The Kentucky reports' part of the demo district: how each SSO is employed and funded, and the
marshal's written approvals for the campuses of every other patrol zone (the rest show as not
met, as a district short of officers would)."""

from __future__ import annotations

import datetime as dt

from safeops.core.audit import Actor
from safeops.schools.models import District
from safeops.staff.choices import EmploymentMethod, FundingSource, Role
from safeops.staff.models import Person
from safeops.staff.services import marshal_approval_record, sro_details_set
from safeops.zones.models import Zone, ZoneKind, ZoneMembership

APPROVAL_REFERENCE = "SSM-{year}-{number:03d}"


def kentucky_demo_seed(*, district: District, today: dt.date, actor: Actor) -> int:
    """Returns how many marshal approvals were recorded."""
    officers = Person.objects.filter(district=district, role=Role.SSO, active=True).order_by("pk")
    for index, officer in enumerate(officers):
        outside = index % 5 == 4
        sro_details_set(
            person=officer,
            employment_method=EmploymentMethod.OUTSIDE_AGENCY
            if outside
            else EmploymentMethod.DISTRICT_POLICE,
            funding_source=FundingSource.SHARED
            if outside
            else (FundingSource.DISTRICT_AND_STATE if index % 2 == 0 else FundingSource.DISTRICT),
            actor=actor,
        )
    year = today.year if today.month >= 8 else today.year - 1
    approved_on = dt.date(year, 7, 25)
    patrol = Zone.objects.filter(district=district, kind=ZoneKind.PATROL).order_by("name")
    recorded = 0
    for zone in list(patrol)[::2]:
        memberships = ZoneMembership.objects.filter(zone=zone, ends_on__isnull=True)
        for membership in memberships.select_related("school").order_by("school__name"):
            recorded += 1
            marshal_approval_record(
                school=membership.school,
                approved_on=approved_on,
                reference=APPROVAL_REFERENCE.format(year=year, number=recorded),
                ends_on=dt.date(year + 1, 7, 1),
                actor=actor,
            )
    return recorded
