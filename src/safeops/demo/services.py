"""Store the generated demo district through the domain services, so it is validated and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from safeops.core.services import model_create
from safeops.demo.generator import DemoDistrict, generate_district
from safeops.dispatch.demo import dispatch_demo_seed
from safeops.drills.demo import demo_workspace_seed
from safeops.fleet.demo import fleet_demo_seed
from safeops.patrol.demo import patrol_demo_seed
from safeops.referrals.demo import referrals_demo_seed
from safeops.reports.kentucky_demo import kentucky_demo_seed
from safeops.resources.demo import resources_demo_seed
from safeops.roster.demo import roster_demo_seed
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.staff.services import assignment_create, person_create
from safeops.threats.demo import threats_demo_seed
from safeops.training.demo import training_demo_seed
from safeops.zones.models import ZoneKind
from safeops.zones.services import zone_create, zone_set_schools

DEMO_PASSWORD = "safeops-demo"  # noqa: S105 - printed to the user; demo databases only
ACTOR = "system:seed-demo"
DISTRICT_EXISTS = (
    "The district {name!r} already exists; the demo is only loaded into an empty database."
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


@dataclass(frozen=True)
class SeedReport:
    district: District
    schools: int
    zones: int
    people: int
    logins: list[DemoLogin]


def demo_seed(*, seed: int = 7, schools: int = 150, starts_on: dt.date | None = None) -> SeedReport:
    """Generate and store the demo district. Refuses to touch a database that already has it."""
    plan = generate_district(seed=seed, schools=schools)
    if District.objects.filter(name=plan.name).exists():
        raise ValueError(DISTRICT_EXISTS.format(name=plan.name))
    start = starts_on or timezone.localdate().replace(month=7, day=1)
    if start > timezone.localdate():
        start = start.replace(year=start.year - 1)
    with transaction.atomic():
        report = _write(plan, start)
        # The SA workspace: calendar, drill log, plans, an audit, an incident.
        demo_workspace_seed(district=report.district, today=timezone.localdate(), actor=ACTOR)
        # Training: the default catalog, completions, POPS certifications, one lapsed SSO.
        training_demo_seed(district=report.district, today=timezone.localdate(), actor=ACTOR)
        # SSO shifts (everyone on shift now), cars with inspections, issued equipment.
        roster_demo_seed(district=report.district, actor=ACTOR)
        fleet_demo_seed(district=report.district, today=timezone.localdate(), actor=ACTOR)
        # The Kentucky reports: SRO employment and funding, the marshal's approvals.
        kentucky_demo_seed(district=report.district, today=timezone.localdate(), actor=ACTOR)
        return report


def _write(plan: DemoDistrict, start: dt.date) -> SeedReport:
    district = model_create(model=District, actor=ACTOR, name=plan.name, state="KY")
    by_key: dict[str, School] = {}
    for spec in plan.schools:
        by_key[spec.key] = model_create(
            model=School,
            actor=ACTOR,
            district=district,
            name=spec.name,
            code=f"999{spec.key}",
            level=spec.level,
            grade_low=spec.grade_low,
            grade_high=spec.grade_high,
            address=spec.address,
            latitude=spec.latitude,
            longitude=spec.longitude,
            enrollment=spec.enrollment,
        )
    for spec in plan.schools:
        if spec.feeder_key is not None:
            school = by_key[spec.key]
            school.feeder_high_school = by_key[spec.feeder_key]
            school.save(update_fields=["feeder_high_school"])
    zones = {}
    for zone_spec in plan.zones:
        zone = zone_create(
            district=district,
            name=zone_spec.name,
            actor=ACTOR,
            kind=ZoneKind.DEDICATED if zone_spec.dedicated else ZoneKind.PATROL,
            high_school=by_key[zone_spec.high_school_key] if zone_spec.high_school_key else None,
            post_school=by_key[zone_spec.post_key],
        )
        zone_set_schools(
            zone=zone,
            schools=[by_key[k] for k in zone_spec.school_keys],
            starts_on=start,
            actor=ACTOR,
        )
        zones[zone_spec.name] = zone
    logins = []
    for person_spec in plan.people:
        person = person_create(
            district=district,
            full_name=person_spec.full_name,
            role=Role(person_spec.role),
            actor=ACTOR,
            email=f"{person_spec.username}@demo.invalid" if person_spec.username else "",
            phone=person_spec.phone,
            badge_number=person_spec.badge_number,
            username=person_spec.username,
            password=DEMO_PASSWORD if person_spec.username else None,
        )
        for key in person_spec.school_keys:
            assignment_create(person=person, school=by_key[key], starts_on=start, actor=ACTOR)
        if person_spec.zone_name:
            assignment_create(
                person=person, zone=zones[person_spec.zone_name], starts_on=start, actor=ACTOR
            )
        if person_spec.username:
            scope = (
                ", ".join(by_key[k].name for k in person_spec.school_keys)
                or person_spec.zone_name
                or "district"
            )
            logins.append(DemoLogin(person_spec.username, str(Role(person_spec.role).label), scope))
    dispatch_demo_seed(district=district)
    resources_demo_seed(district=district)
    referrals_demo_seed(district=district)
    threats_demo_seed(district=district)
    patrol_demo_seed(district=district)
    return SeedReport(
        district=district,
        schools=len(plan.schools),
        zones=len(plan.zones),
        people=len(plan.people),
        logins=logins,
    )


def demo_logins() -> list[DemoLogin]:
    """The demo logins present in the database (for printing on later starts)."""
    logins = []
    people = Person.objects.filter(user__username__startswith="demo-").select_related("user")
    for person in people.order_by("user__username"):
        if person.user is not None:
            logins.append(DemoLogin(person.user.username, person.get_role_display(), ""))
    return logins
