"""Kentucky's reports, from the roster (staff) and the zones (docs/kentucky-reports.md):

- the annual SRO report to the Kentucky Center for School Safety (KRS 158.4414): how many SROs
  (the district's active SSOs with a current zone assignment), where each is placed, how the
  position is funded and how the officer is employed;
- each campus's status under 2022 HB 63: a certified SRO on site (an SSO, whose SRO training
  and POPS certification have not lapsed, assigned to a zone of that campus alone), else the
  State School Security Marshal's written approval recorded with its date, else not met.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeops.access import current_filter
from safeops.schools.models import School
from safeops.staff.choices import EmploymentMethod, FundingSource, Role
from safeops.staff.models import Assignment, MarshalApproval
from safeops.training.selectors import lapsed_officers
from safeops.zones.models import ZoneKind, ZoneMembership

ON_SITE = "on_site"
MARSHAL_APPROVAL = "marshal_approval"
NOT_MET = "not_met"
STATUS_LABELS = {
    ON_SITE: gettext_lazy("Certified SRO on site"),
    MARSHAL_APPROVAL: gettext_lazy("Marshal's written approval"),
    NOT_MET: gettext_lazy("Not met"),
}


@dataclass(frozen=True)
class SroRow:
    person_id: int
    name: str
    badge_number: str
    zone: str
    dedicated: bool  # placed at one campus (a dedicated zone) rather than patrolling several
    schools: list[str]
    employment_method: str  # the label, or "" when not recorded
    funding_source: str
    certified: bool
    lapse: str  # why the certification lapsed, "" when certified


@dataclass(frozen=True)
class SroReport:
    on: dt.date
    rows: list[SroRow]
    by_employment: list[tuple[str, int]]
    by_funding: list[tuple[str, int]]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def certified(self) -> int:
        return sum(row.certified for row in self.rows)


@dataclass(frozen=True)
class CampusRow:
    school_id: int
    name: str
    level: str
    status: str  # ON_SITE, MARSHAL_APPROVAL or NOT_MET
    officer: str = ""  # the certified SRO on site
    zone: str = ""  # the zone that serves the campus
    approved_on: dt.date | None = None
    reference: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class CampusReport:
    on: dt.date
    rows: list[CampusRow]
    counts: dict[str, int] = field(default_factory=dict)


def _members(district_id: int, on: dt.date) -> dict[int, list[ZoneMembership]]:
    """Zone id -> its memberships on `on`."""
    by_zone: dict[int, list[ZoneMembership]] = {}
    memberships = ZoneMembership.objects.filter(
        current_filter(on), zone__district_id=district_id, school__active=True
    ).select_related("school", "zone")
    for membership in memberships:
        by_zone.setdefault(membership.zone_id, []).append(membership)
    return by_zone


def _officer_assignments(district_id: int, on: dt.date) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            current_filter(on),
            person__district_id=district_id,
            person__role=Role.SSO,
            person__active=True,
            zone__isnull=False,
        )
        .select_related("person", "zone")
        .order_by("zone__name", "person__full_name")
    )


def _label(choices: type[EmploymentMethod] | type[FundingSource], value: str) -> str:
    return str(choices(value).label) if value else ""


def sro_report(*, district_id: int, on: dt.date) -> SroReport:
    """The KRS 158.4414 report on `on`: one row per SRO (an active SSO assigned to a zone)."""
    members = _members(district_id, on)
    lapsed = lapsed_officers(district_id=district_id, on=on)
    rows = []
    for assignment in _officer_assignments(district_id, on):
        person, zone = assignment.person, assignment.zone
        if zone is None:  # the query asks for zone assignments: never
            continue
        rows.append(
            SroRow(
                person_id=person.pk,
                name=person.full_name,
                badge_number=person.badge_number,
                zone=zone.name,
                dedicated=zone.kind == ZoneKind.DEDICATED,
                schools=sorted(m.school.name for m in members.get(zone.pk, [])),
                employment_method=_label(EmploymentMethod, person.employment_method),
                funding_source=_label(FundingSource, person.funding_source),
                certified=person.pk not in lapsed,
                lapse=lapsed.get(person.pk, ""),
            )
        )
    not_recorded = _("Not recorded")
    employment = Counter(row.employment_method or not_recorded for row in rows)
    funding = Counter(row.funding_source or not_recorded for row in rows)
    return SroReport(
        on=on,
        rows=rows,
        by_employment=sorted(employment.items()),
        by_funding=sorted(funding.items()),
    )


def campus_report(*, district_id: int, on: dt.date) -> CampusReport:
    """Each active campus's HB 63 status on `on`."""
    members = _members(district_id, on)
    lapsed = lapsed_officers(district_id=district_id, on=on)
    on_site: dict[int, str] = {}  # school id -> its certified SRO
    zone_of: dict[int, str] = {}
    for zone_members in members.values():
        for membership in zone_members:
            zone_of[membership.school_id] = membership.zone.name
    for assignment in _officer_assignments(district_id, on):
        zone = assignment.zone
        campuses = members.get(assignment.zone_id or 0, [])
        one_campus = zone is not None and zone.kind == ZoneKind.DEDICATED and len(campuses) == 1
        if one_campus and assignment.person_id not in lapsed:
            on_site[campuses[0].school_id] = assignment.person.full_name
    approvals: dict[int, MarshalApproval] = {}
    current = MarshalApproval.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=on),
        school__district_id=district_id,
        approved_on__lte=on,
    ).order_by("approved_on", "pk")
    for recorded in current:
        approvals[recorded.school_id] = recorded  # the latest approval wins
    rows = []
    for school in School.objects.filter(district_id=district_id, active=True).order_by("name"):
        approval: MarshalApproval | None = approvals.get(school.pk)
        if school.pk in on_site:
            status = ON_SITE
        elif approval is not None:
            status = MARSHAL_APPROVAL
        else:
            status = NOT_MET
        rows.append(
            CampusRow(
                school_id=school.pk,
                name=school.name,
                level=school.get_level_display(),
                status=status,
                officer=on_site.get(school.pk, ""),
                zone=zone_of.get(school.pk, ""),
                approved_on=approval.approved_on if approval and status != ON_SITE else None,
                reference=approval.reference if approval and status != ON_SITE else "",
            )
        )
    counts = Counter(row.status for row in rows)
    return CampusReport(on=on, rows=rows, counts={s: counts.get(s, 0) for s in STATUS_LABELS})
