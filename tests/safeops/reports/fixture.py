"""A small district for the report measures, every figure counted by hand (school year
2025-26, all events in September 2025). Built through the ORM, times set after creation. Also
hand-counted runs in the current term of the two-zone scenario district (`term_runs`)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from safeops.core.models import DisciplineRefusalRecord
from safeops.dispatch.models import ClearingDemographics, StatusEvent, SupportRequest
from safeops.referrals.models import Referral
from safeops.reports.models import Enrollment, PublishedCell, Refresh
from safeops.reports.precompute import refresh
from safeops.reports.terms import term_of
from safeops.resources.models import Service
from safeops.schools.choices import SchoolLevel
from safeops.schools.models import District, School
from safeops.threats.models import ThreatCase, Tip
from safeops.zones.models import Zone, ZoneMembership
from tests.safeops.factories import DistrictFactory, ScenarioDistrict, SchoolFactory, ZoneFactory

SEPT = dt.datetime(2025, 9, 10, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 30)


@dataclass
class Small:
    district: District
    middle: School  # zone A
    high: School  # zone B
    zone_a: Zone
    zone_b: Zone


def request(
    school: School,
    zone: Zone,
    category: str,
    priority: str,
    minutes: float | None,
    *,
    at: dt.datetime = SEPT,
) -> SupportRequest:
    """A support request created at `at` (on scene after `minutes`, or never)."""
    made = SupportRequest.objects.create(
        district=school.district,
        school=school,
        zone=zone,
        latitude=38.2,
        longitude=-85.7,
        requester_label="front office",
        category=category,
        priority=priority,
        summary="test",
        response_seconds=None if minutes is None else minutes * 60,
    )
    SupportRequest.objects.filter(pk=made.pk).update(created_at=at)
    return made


def _citation(school: School, zone: Zone, race: str, sex: str) -> None:
    run = request(school, zone, "fight_assault", "p2", None)
    event = StatusEvent.objects.create(
        request=run,
        from_status="on_scene",
        to_status="cleared",
        actor_label="officer",
        at=SEPT + dt.timedelta(hours=1),
        disposition="citation",
    )
    ClearingDemographics.objects.create(
        event=event,
        reason="test",
        race_ethnicity=race,
        sex=sex,
        disability_status="none",
        english_learner="no",
    )


def build() -> Small:
    district = DistrictFactory()
    zone_a, zone_b = ZoneFactory(district=district), ZoneFactory(district=district)
    middle = SchoolFactory(district=district, level=SchoolLevel.MIDDLE)
    high = SchoolFactory(district=district, level=SchoolLevel.HIGH)
    for zone, school in ((zone_a, middle), (zone_b, high)):
        ZoneMembership.objects.create(zone=zone, school=school, starts_on=dt.date(2020, 1, 1))
    for school, everyone, black, white in ((middle, 400, 100, 300), (high, 600, 300, 300)):
        for kind, group, count in (
            ("all", "all", everyone),
            ("race_ethnicity", "black_african_american", black),
            ("race_ethnicity", "white", white),
        ):
            Enrollment.objects.create(
                school=school, school_year="2025-26", kind=kind, group=group, count=count
            )
    # SSO runs: zone A, the middle school: 12 fights, P1, on scene after 1..12 minutes;
    # zone B, the high school: 15 patrol checks, P3, 10 at 20 and 5 at 40 minutes.
    for minute in range(1, 13):
        request(middle, zone_a, "fight_assault", "p1", minute)
    for minute in (20,) * 10 + (40,) * 5:
        request(high, zone_b, "patrol_check", "p3", minute)
    # Citations at the high school (zone B): 24 Black students (male), 12 White (female);
    # each is a P2 fight run never on scene (36 runs more).
    for _ in range(24):
        _citation(high, zone_b, "black_african_american", "male")
    for _ in range(12):
        _citation(high, zone_b, "white", "female")
    # Tips at the middle school: 25, 10 imminent; 20 triaged after 1..20 hours, 5 not.
    for i in range(25):
        tip = Tip.objects.create(
            district=district,
            school=middle,
            what_sealed="x",
            urgency="soon",
            code=uuid.uuid4().hex[:20],
            phrase_digest="x",
            imminent=i < 10,
            triaged_at=SEPT + dt.timedelta(hours=i + 1) if i < 20 else None,
        )
        Tip.objects.filter(pk=tip.pk).update(created_at=SEPT)
    # Threat cases at the high school: 11 opened, 4 of them closed, all in September.
    for i in range(11):
        case = ThreatCase.objects.create(
            district=district,
            school=high,
            source="staff",
            concern_sealed="x",
            closed_at=SEPT + dt.timedelta(days=5) if i < 4 else None,
        )
        ThreatCase.objects.filter(pk=case.pk).update(created_at=SEPT)
    # Refusals: 10 by dispatch, 2 by the tip line, at the middle school.
    for source, n in (("dispatch", 10), ("tips", 2)):
        for _ in range(n):
            DisciplineRefusalRecord.objects.create(
                on=SEPT.date(), district=district, school=middle, source=source
            )
    # Referrals from the high school: 12, 10 reached services after 1..10 days.
    service = Service.objects.create(hsds_id=str(uuid.uuid4()), name="Counselling", status="active")
    for i in range(12):
        referral = Referral.objects.create(
            district=district,
            school=high,
            service=service,
            grade="9",
            student_initials="JD",
            referrer_label="SA",
            status_changed_at=SEPT,
            services_started_at=SEPT + dt.timedelta(days=i + 1) if i < 10 else None,
            consent_given_by="parent_guardian",
            consent_given_on=SEPT.date(),
            consent_scope="two_way",
            handoff_note="x",
        )
        Referral.objects.filter(pk=referral.pk).update(created_at=SEPT)
    assert timezone.is_aware(SEPT)
    return Small(district, middle, high, zone_a, zone_b)


def publish_sample() -> None:
    """Published cells as the refresh would write them (for the dashboard's tests)."""
    district = DistrictFactory()
    school = SchoolFactory(district=district, name="Central High")
    race = "citation.race_ethnicity"
    rows = [
        ("district", "sso_runs", "category", "fight_assault", "count", 48, ""),
        ("district", "sso_runs", "category", "weapon", "count", None, "suppressed"),
        ("district", "sso_runs", "category", "total", "count", 63, ""),
        ("district", "sso_runs", "response_p1", "total", "p50", 6, ""),
        ("district", "sso_runs", "response_p1", "within", "share", None, "built_on_suppressed"),
        ("district", "enforcement", race, "black_african_american", "rri", 3.0, ""),
        (f"school:{school.pk}", "sso_runs", "category", "total", "count", 51, ""),
    ]
    for scope, measure, dimension, category, stat, value, withheld in rows:
        PublishedCell.objects.create(
            district=district,
            period="2025-26",
            scope=scope,
            measure=measure,
            dimension=dimension,
            category=category,
            stat=stat,
            value=value,
            withheld=withheld,
        )
    Refresh.objects.create(
        district=district, finished_at=timezone.now(), seconds=1.0, cells=7, periods=["2025-26"]
    )


def remove(small: Small) -> None:
    """Delete the small district (a module-scoped fixture's data outlives its tests)."""
    district = small.district
    PublishedCell.objects.filter(district=district).delete()
    Refresh.objects.filter(district=district).delete()
    Referral.objects.filter(district=district).delete()
    Service.objects.filter(name="Counselling").delete()
    ThreatCase.objects.filter(district=district).delete()
    Tip.objects.filter(district=district).delete()
    DisciplineRefusalRecord.objects.filter(district=district).delete()
    SupportRequest.objects.filter(district=district).delete()
    Enrollment.objects.filter(school__district=district).delete()
    ZoneMembership.objects.filter(zone__district=district).delete()
    School.objects.filter(district=district).delete()
    Zone.objects.filter(district=district).delete()
    district.delete()


def term_runs(scenario: ScenarioDistrict, *, small_cell: bool = False) -> None:
    """Zone A: 12 fights (P1, on scene in 3 minutes); zone B: 15 patrol checks (P3, 20 minutes):
    no count under 10, so nothing to suppress (and no solver to run). With `small_cell`, zone A
    has 3 medical assists (P2, never on scene) too: a count to suppress and its complements."""
    start = term_of(timezone.localdate()).start
    school = scenario.school_a
    zone_a, zone_b = scenario.zone_a, scenario.zone_b
    rows = [(zone_a, "fight_assault", "p1", 3)] * 12
    rows += [(zone_a, "medical_assist", "p2", None)] * (3 if small_cell else 0)
    rows += [(zone_b, "patrol_check", "p3", 20)] * 15
    for zone, category, priority, minutes in rows:
        request(school, zone, category, priority, minutes, at=start + dt.timedelta(hours=1))
    refresh(district_id=scenario.district.pk)  # the board and monitors read the published cells
