"""Reads of the district model for the reports (the feature apps' facts come through their own
selectors). Staffing counts schools and zones, not people: nothing to suppress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from safeops.core.models import DisciplineRefusalRecord
from safeops.dispatch.selectors import (
    discipline_returns_for_reports,
    enforcement_facts_for_reports,
    request_facts_for_reports,
    response_targets_for_reports,
)
from safeops.drills.selectors import drill_compliance_for_reports
from safeops.facilities.models import FacilityAudit
from safeops.referrals.models import Referral
from safeops.reports.models import Enrollment, GroupKind
from safeops.schools.choices import HIGH_SCHOOL_LEVELS, SchoolLevel
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from safeops.threats.models import ThreatCase, Tip
from safeops.training.engine import CertState
from safeops.training.selectors import assess_people
from safeops.zones.models import Zone, ZoneMembership


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


# --- Facts for the precomputed measures (system reads: aggregated, never shown one by one) ---


@dataclass(frozen=True)
class Fact:
    """One counted event: where (zone, level, school), when, the (dimension, category) cells it
    counts in, and a duration for the medians (minutes, hours or days, by measure)."""

    zone: str
    level: str
    school: str
    on: dt.date
    cells: tuple[tuple[str, str], ...]
    value: float | None = None


NONE = "none"


class Places:
    """Where a school is: its level, and its zone on a date (zone memberships have dates)."""

    def __init__(self, *, district_id: int) -> None:
        self.levels = dict(
            School.objects.filter(district_id=district_id).values_list("pk", "level")
        )
        self.spans: dict[int, list[tuple[dt.date, dt.date | None, int]]] = {}
        for school_id, starts, ends, zone_id in ZoneMembership.objects.filter(
            zone__district_id=district_id
        ).values_list("school_id", "starts_on", "ends_on", "zone_id"):
            self.spans.setdefault(school_id, []).append((starts, ends, zone_id))

    def zone_of(self, school_id: int | None, on: dt.date) -> str:
        for starts, ends, zone_id in self.spans.get(school_id or 0, []):
            if starts <= on and (ends is None or on < ends):
                return str(zone_id)
        return NONE

    def fact(
        self,
        *,
        school_id: int | None,
        on: dt.date,
        cells: tuple[tuple[str, str], ...],
        zone_id: int | str | None = "",
        value: float | None = None,
    ) -> Fact:
        """A fact at a school; `zone_id` when the event names its zone (a request's serving
        zone), else the school's zone on the date."""
        zone = self.zone_of(school_id, on) if zone_id == "" else str(zone_id or NONE)
        level = self.levels.get(school_id, NONE) if school_id else NONE
        return Fact(zone, level, str(school_id or NONE), on, cells, value)


def _local_date(moment: dt.datetime | None) -> dt.date:
    if moment is None:  # pragma: no cover - every query filters on the moment
        raise ValueError("a fact needs its moment")
    return timezone.localtime(moment).date()


def run_facts(
    *, district_id: int, start: dt.datetime, end: dt.datetime, places: Places
) -> list[Fact]:
    """SSO runs: each request by category and priority; with a time on scene, within or over
    its priority's target (minutes as the value)."""
    targets = response_targets_for_reports(district_id=district_id)
    facts = []
    for row in request_facts_for_reports(district_id=district_id, start=start, end=end):
        priority = row["priority"]
        cells = [("category", row["category"]), ("priority", priority)]
        minutes = None
        if row["response_seconds"] is not None:
            minutes = row["response_seconds"] / 60
            cells.append(
                (f"response_{priority}", "within" if minutes <= targets[priority] else "over")
            )
        facts.append(
            places.fact(
                school_id=row["school_id"],
                on=_local_date(row["created_at"]),
                cells=tuple(cells),
                zone_id=row["zone_id"],
                value=minutes,
            )
        )
    return facts


def enforcement_facts(
    *, district_id: int, start: dt.datetime, end: dt.datetime, places: Places
) -> list[Fact]:
    """Citations, arrests and uses of force: each by outcome, and by outcome and each group."""
    facts = []
    for row in enforcement_facts_for_reports(district_id=district_id, start=start, end=end):
        outcome = row["disposition"]
        cells = [("outcome", outcome)] + [
            (f"{outcome}.{kind}", row[field]) for kind, field in DEMOGRAPHIC_FIELDS.items()
        ]
        facts.append(
            places.fact(
                school_id=row["school_id"],
                on=_local_date(row["at"]),
                cells=tuple(cells),
                zone_id=row["zone_id"],
            )
        )
    return facts


# The enrollment group kinds and the clearing's field holding each.
DEMOGRAPHIC_FIELDS = {
    GroupKind.RACE_ETHNICITY.value: "race_ethnicity",
    GroupKind.SEX.value: "sex",
    GroupKind.DISABILITY.value: "disability_status",
    GroupKind.ENGLISH_LEARNER.value: "english_learner",
}


# The refusals' source for calls an officer found to be discipline and returned to school
# administration (the intake let them through).
RETURNED_BY_OFFICER = "dispatch_returned"


def refusal_facts(*, district_id: int, start: dt.date, end: dt.date, places: Places) -> list[Fact]:
    """Discipline matters sent back to school administration: refused by an intake (by the
    intake), or cleared by an officer as a discipline matter (`RETURNED_BY_OFFICER`)."""
    rows = DisciplineRefusalRecord.objects.filter(
        district_id=district_id, on__gte=start, on__lt=end
    ).values_list("school_id", "on", "source")
    facts = [
        places.fact(school_id=school_id, on=on, cells=(("source", source),))
        for school_id, on, source in rows
    ]
    returned = discipline_returns_for_reports(
        district_id=district_id,
        start=timezone.make_aware(dt.datetime.combine(start, dt.time())),
        end=timezone.make_aware(dt.datetime.combine(end, dt.time())),
    )
    facts.extend(
        places.fact(
            school_id=school_id,
            on=_local_date(closed_at),
            cells=(("source", RETURNED_BY_OFFICER),),
        )
        for school_id, closed_at in returned
    )
    return facts


def tip_facts(
    *, district_id: int, start: dt.datetime, end: dt.datetime, places: Places
) -> list[Fact]:
    """Tips received: imminent or not; triaged or not (hours to triage as the value)."""
    rows = Tip.objects.filter(district_id=district_id, created_at__gte=start, created_at__lt=end)
    facts = []
    for school_id, created, imminent, triaged in rows.values_list(
        "school_id", "created_at", "imminent", "triaged_at"
    ):
        hours = None if triaged is None else (triaged - created).total_seconds() / 3600
        cells = (
            ("urgency", "imminent" if imminent else "other"),
            ("triage", "untriaged" if hours is None else "triaged"),
        )
        facts.append(
            places.fact(school_id=school_id, on=_local_date(created), cells=cells, value=hours)
        )
    return facts


def threat_case_facts(
    *, district_id: int, start: dt.datetime, end: dt.datetime, places: Places
) -> list[Fact]:
    """Threat assessment cases opened, and closed, in the period (counts only)."""
    cases = ThreatCase.objects.filter(district_id=district_id)
    facts = [
        places.fact(school_id=school_id, on=_local_date(at), cells=(("cases", "opened"),))
        for school_id, at in cases.filter(created_at__gte=start, created_at__lt=end).values_list(
            "school_id", "created_at"
        )
    ]
    facts += [
        places.fact(school_id=school_id, on=_local_date(at), cells=(("cases", "closed"),))
        for school_id, at in cases.filter(closed_at__gte=start, closed_at__lt=end)
        .exclude(closed_at=None)
        .values_list("school_id", "closed_at")
    ]
    return facts


def referral_facts(
    *, district_id: int, start: dt.datetime, end: dt.datetime, places: Places
) -> list[Fact]:
    """Referrals made in the period: reached services or not (days from sent to services)."""
    rows = Referral.objects.filter(
        district_id=district_id, created_at__gte=start, created_at__lt=end
    ).values_list("school_id", "created_at", "services_started_at")
    facts = []
    for school_id, created, started in rows:
        days = None if started is None else (started - created).total_seconds() / 86400
        cell = ("services", "not_started" if days is None else "started")
        facts.append(
            places.fact(school_id=school_id, on=_local_date(created), cells=(cell,), value=days)
        )
    return facts


def enrollment_by_school(*, district_id: int, school_year: str) -> dict[tuple[int, str, str], int]:
    """Enrollment (school id, group kind, group) -> students, for one school year."""
    rows = Enrollment.objects.filter(
        school__district_id=district_id, school_year=school_year
    ).values_list("school_id", "kind", "group", "count")
    return {(school_id, kind, group): count for school_id, kind, group, count in rows}


# --- Staff and school measures (schools and staff are counted, never students) ---


def officers_on_roster(*, district_id: int, on: dt.date) -> int:
    """SSOs with an assignment on `on`."""
    return (
        Assignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on),
            person__district_id=district_id,
            person__role=Role.SSO,
            starts_on__lte=on,
        )
        .values("person_id")
        .distinct()
        .count()
    )


def training_compliance(*, district_id: int, on: dt.date) -> dict[str, tuple[int, int]]:
    """For each hour requirement and certification (e.g. "SSO: 60 h district", "SSO: POPS"):
    (people meeting it on `on`, people it applies to), over SAs and SSOs."""
    people = list(
        Person.objects.filter(
            district_id=district_id, role__in=[Role.SAFETY_ADMINISTRATOR, Role.SSO]
        )
    )
    roles = {person.pk: person.role for person in people}
    result: dict[str, list[int]] = {}
    for person_id, assessment in assess_people(
        district_id=district_id, people=people, on=on
    ).items():
        met = [
            (f"{roles[person_id]}: {rule.hours.normalize()} h {rule.name}", total >= rule.hours)
            for rule, total in ((h.rule, h.total) for h in assessment.hours)
        ] + [
            (f"{roles[person_id]}: {c.rule.name}", c.state in VALID_CERT) for c in assessment.certs
        ]
        for key, ok in met:
            counts = result.setdefault(key, [0, 0])
            counts[0] += int(ok)
            counts[1] += 1
    return {key: (met, people_count) for key, (met, people_count) in sorted(result.items())}


VALID_CERT = frozenset({CertState.VALID, CertState.EXPIRING})


def drill_compliance(*, district_id: int, on: dt.date) -> dict[int, bool]:
    """Each active school: compliant with the drill rules on `on` (the state's November 1
    view is taken on November 1)."""
    return {
        school_id: status == "compliant"
        for school_id, status in drill_compliance_for_reports(
            district_id=district_id, on=on
        ).items()
    }


def facility_scores(*, district_id: int, before: dt.date) -> dict[int, float]:
    """Each school's latest facility audit score (0-100) conducted before `before`."""
    latest: dict[int, float] = {}
    for school_id, score in (
        FacilityAudit.objects.filter(school__district_id=district_id, conducted_on__lt=before)
        .order_by("school_id", "-conducted_on", "-id")
        .values_list("school_id", "score")
    ):
        latest.setdefault(school_id, score)
    return latest
