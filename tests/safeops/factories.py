"""factory_boy factories and a small named scenario shared by the access tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from safeops.core.notify.models import ChannelPreference
from safeops.schools.choices import SchoolLevel
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from safeops.zones.models import Zone, ZoneMembership

PASSWORD = "correct horse battery staple"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"District {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    level = SchoolLevel.ELEMENTARY
    latitude = factory.Faker("pyfloat", min_value=38.1, max_value=38.3)
    longitude = factory.Faker("pyfloat", min_value=-85.9, max_value=-85.6)
    enrollment = 400


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    district = factory.SubFactory(DistrictFactory)
    full_name = factory.Faker("name")
    role = Role.SAFETY_ADMINISTRATOR
    user = factory.SubFactory(UserFactory)


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Zone {n}")


@dataclass
class ScenarioDistrict:
    """Area A (own scope of every assigned user) and area B (another scope)."""

    district: District
    school_a: School
    school_b: School
    high_a: School
    high_b: School
    zone_a: Zone
    zone_b: Zone
    users: dict[Role, object]
    people: dict[Role, Person]
    assignment_a: Assignment
    assignment_b: Assignment
    person_b: Person


def build_scenario(*, today: dt.date) -> ScenarioDistrict:
    start = today - dt.timedelta(days=30)
    district = DistrictFactory(name="Scenario district")
    high_a = SchoolFactory(district=district, name="A High", level=SchoolLevel.HIGH)
    high_b = SchoolFactory(district=district, name="B High", level=SchoolLevel.HIGH)
    school_a = SchoolFactory(
        district=district, name="A Middle", level=SchoolLevel.MIDDLE, feeder_high_school=high_a
    )
    school_b = SchoolFactory(
        district=district, name="B Middle", level=SchoolLevel.MIDDLE, feeder_high_school=high_b
    )
    zone_a = ZoneFactory(district=district, name="Zone A", high_school=high_a)
    zone_b = ZoneFactory(district=district, name="Zone B", high_school=high_b)
    for zone, schools in ((zone_a, (high_a, school_a)), (zone_b, (high_b, school_b))):
        for school in schools:
            ZoneMembership.objects.create(zone=zone, school=school, starts_on=start)
    users: dict[Role, object] = {}
    people: dict[Role, Person] = {}
    for role in Role:
        person = PersonFactory(
            district=district, role=role, user=UserFactory(username=f"{role.value}-a")
        )
        users[role], people[role] = person.user, person
        if role == Role.SSO:
            Assignment.objects.create(person=person, zone=zone_a, starts_on=start)
        elif role in (
            Role.SAFETY_ADMINISTRATOR,
            Role.PRINCIPAL,
            Role.COUNSELOR,
            Role.SECURITY_MONITOR,
        ):
            Assignment.objects.create(person=person, school=school_a, starts_on=start)
    assignment_a = Assignment.objects.get(person=people[Role.SAFETY_ADMINISTRATOR])
    person_b = PersonFactory(
        district=district, role=Role.SAFETY_ADMINISTRATOR, user=None, full_name="B Admin"
    )
    assignment_b = Assignment.objects.create(person=person_b, school=school_b, starts_on=start)
    return ScenarioDistrict(
        district=district,
        school_a=school_a,
        school_b=school_b,
        high_a=high_a,
        high_b=high_b,
        zone_a=zone_a,
        zone_b=zone_b,
        users=users,
        people=people,
        assignment_a=assignment_a,
        assignment_b=assignment_b,
        person_b=person_b,
    )


def scenario_again(seeded: ScenarioDistrict) -> ScenarioDistrict:
    """The scenario district `seeded` built, read again from the database: new instances for a
    test to change (five queries, where building it takes about 140)."""
    district = District.objects.get(pk=seeded.district.pk)
    schools = School.objects.in_bulk(
        [s.pk for s in (seeded.school_a, seeded.school_b, seeded.high_a, seeded.high_b)]
    )
    zones = Zone.objects.in_bulk([seeded.zone_a.pk, seeded.zone_b.pk])
    people = Person.objects.select_related("user").in_bulk(
        [p.pk for p in (*seeded.people.values(), seeded.person_b)]
    )
    assignments = Assignment.objects.in_bulk([seeded.assignment_a.pk, seeded.assignment_b.pk])
    return ScenarioDistrict(
        district=district,
        school_a=schools[seeded.school_a.pk],
        school_b=schools[seeded.school_b.pk],
        high_a=schools[seeded.high_a.pk],
        high_b=schools[seeded.high_b.pk],
        zone_a=zones[seeded.zone_a.pk],
        zone_b=zones[seeded.zone_b.pk],
        users={role: people[person.pk].user for role, person in seeded.people.items()},
        people={role: people[person.pk] for role, person in seeded.people.items()},
        assignment_a=assignments[seeded.assignment_a.pk],
        assignment_b=assignments[seeded.assignment_b.pk],
        person_b=people[seeded.person_b.pk],
    )


def reads(user: object, language: str, phone: str = "") -> None:
    """`user` reads alerts in `language` (and gets texts and calls at `phone`)."""
    ChannelPreference.objects.update_or_create(
        user=user, defaults={"language": language, "phone": phone}
    )
