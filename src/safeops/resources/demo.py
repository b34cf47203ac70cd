"""The demo district's community resource directory: generated, fictional, deterministic.

Organisations near the demo schools in every category, with weekly schedules, owners among
the district support staff, and a few records left unverified for longer than the freshness
window so the "needs verification" flow has something to show.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from safeops.resources.categories import Category, category_taxonomy_seed
from safeops.resources.models import Schedule, Service, Taxonomy, TaxonomyTerm
from safeops.resources.services import directory_service_create, new_hsds_id
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Person

ACTOR = "system:seed-demo"
_NAMES = {
    Category.MENTAL_HEALTH: ("Riverbend Youth Mental Health", "Outpatient therapy for ages 6-21"),
    Category.SUBSTANCE_ABUSE: (
        "Clearpath Recovery Center",
        "Substance use assessment and treatment",
    ),
    Category.CHILD_PROTECTIVE_SERVICES: (
        "County Child Protection Office",
        "Abuse and neglect reports",
    ),
    Category.SHELTER: ("Harbor Youth Shelter", "Emergency beds for youth aged 12-17"),
    Category.DOMESTIC_VIOLENCE: (
        "Safe Haven Family Justice Center",
        "Advocacy and safety planning",
    ),
    Category.FAMILY_COUNSELING: ("Oakwood Family Counseling", "Family and caregiver counselling"),
    Category.GUN_VIOLENCE_MHP: ("District Trauma Response Team", "Support after gun violence"),
    Category.COURT_LIAISON: ("District Court Liaison Office", "Help for court-involved students"),
    Category.VIOLENCE_PREVENTION: ("District Violence Prevention Office", "Prevention specialist"),
}
_STREETS = ("Market St", "Broadway", "Bardstown Rd", "Dixie Hwy", "Preston Hwy", "Main St")


def resources_demo_seed(*, district: District, seed: int = 7) -> int:
    """Create the demo directory (skipped when services already exist). Returns services made."""
    if Service.objects.exists():
        return 0
    category_taxonomy_seed(Taxonomy, TaxonomyTerm)  # gone if the database was flushed
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    today = timezone.localdate()
    schools = list(
        School.objects.filter(district=district, level__in=["middle", "high"]).order_by("name")
    )
    if not schools:
        return 0
    owners = list(
        Person.objects.filter(
            district=district,
            role__in=[Role.MENTAL_HEALTH_PRACTITIONER, Role.VIOLENCE_PREVENTION_SPECIALIST],
        )
    )
    created = 0
    # The schools of staff who can log in first (the demo SA finds shelters nearby), then a
    # spread of the others.
    with_logins = list(
        School.objects.filter(
            assignments__person__user__isnull=False,
            assignments__person__role=Role.SAFETY_ADMINISTRATOR,
            district=district,
        ).distinct()
    )
    anchors = with_logins[:2]
    for school in schools[:: max(1, len(schools) // 6)]:
        if len(anchors) >= 6:
            break
        if school not in anchors:
            anchors.append(school)
    for number, school in enumerate(anchors):
        for category, (name, description) in _NAMES.items():
            district_support = category in (
                Category.GUN_VIOLENCE_MHP,
                Category.COURT_LIAISON,
                Category.VIOLENCE_PREVENTION,
            )
            if district_support and number > 0:
                continue
            # Within about 0.5-4 km of the school.
            lat = school.latitude + rng.uniform(-0.03, 0.03)
            lon = school.longitude + rng.uniform(-0.03, 0.03)
            stale = rng.random() < 0.12
            verified = today - dt.timedelta(
                days=rng.randint(200, 400) if stale else rng.randint(1, 150)
            )
            branch = "" if district_support else f" – {school.name.split()[0]} site"
            service = directory_service_create(
                organization_name=name + branch,
                service_name=name + branch,
                categories=[category],
                latitude=round(lat, 5),
                longitude=round(lon, 5),
                address_1=f"{rng.randint(100, 4999)} {rng.choice(_STREETS)}",
                city="Louisville",
                state_province="KY",
                postal_code=f"402{rng.randint(2, 99):02d}",
                phone=f"502-555-{rng.randint(100, 9999):04d}",
                description=f"{description} (fictional demo record).",
                owner=rng.choice(owners) if owners else None,
                verified_on=verified,
                actor=ACTOR,
            )
            overnight = category in (Category.SHELTER, Category.DOMESTIC_VIOLENCE)
            Schedule.objects.create(
                hsds_id=new_hsds_id(),
                service_id=service.hsds_id,
                freq="WEEKLY",
                byday="MO,TU,WE,TH,FR,SA,SU" if overnight else "MO,TU,WE,TH,FR",
                opens_at="00:00" if overnight else "08:30",
                closes_at="23:59" if overnight else "17:00",
                description="Open every day" if overnight else "Weekdays",
            )
            created += 1
    return created
