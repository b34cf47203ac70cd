"""The demo district: deterministic, county-sized, realistic, and scoped per login."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client

from safeops.demo.generator import generate_district
from safeops.demo.services import DEMO_PASSWORD
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.zones.models import Zone


def test_the_same_seed_gives_the_same_district_and_another_seed_another() -> None:
    first, again, other = (
        generate_district(seed=3),
        generate_district(seed=3),
        generate_district(seed=4),
    )
    assert first == again
    assert [s.name for s in first.schools] != [s.name for s in other.schools]


def test_default_district_is_county_sized_with_realistic_levels() -> None:
    district = generate_district()
    levels = Counter(s.level for s in district.schools)
    assert 140 <= len(district.schools) <= 160
    assert 18 <= levels["high"] + levels["combined"] <= 22  # about 20 feeder clusters
    assert levels["elementary"] > levels["middle"] > 0
    assert {"alternative", "early_childhood", "special_program"} <= set(levels)
    patrol = [z for z in district.zones if not z.dedicated]
    assert all(3 <= len(z.school_keys) <= 7 for z in patrol)
    highs = {s.key: s for s in district.schools}
    for (
        zone
    ) in patrol:  # aligned: every school's feeder (when it has one) is the zone's high school
        feeders = {highs[k].feeder_key for k in zone.school_keys} - {None}
        assert feeders == {zone.high_school_key}
    assert {p.role for p in district.people} == {role.value for role in Role}


@pytest.mark.django_db
def test_seed_demo_prints_one_login_per_role_and_refuses_a_second_load() -> None:
    out = io.StringIO()
    call_command("seed_demo", "--schools", "40", stdout=out)
    text = out.getvalue()
    assert f"password for all: {DEMO_PASSWORD}" in text
    logins = [line.split()[0] for line in text.splitlines() if line.startswith("  demo-")]
    assert len(logins) == len(Role)
    assert Person.objects.filter(user__isnull=False).count() == len(Role)
    again = io.StringIO()
    call_command("seed_demo", "--schools", "40", "--if-empty", stdout=again)
    assert "not loaded again" in again.getvalue()
    assert School.objects.count() == 40


@pytest.mark.django_db
def test_demo_sa_sees_only_their_schools_and_the_chief_sees_all() -> None:
    call_command("seed_demo", "--schools", "60", stdout=io.StringIO())
    sa = Person.objects.get(user__username="demo-sa")
    own = set(School.objects.filter(assignments__person=sa).values_list("name", flat=True))
    assert len(own) == 2

    client = Client()
    login = {"username": "demo-sa", "password": DEMO_PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 302
    listed = client.get("/api/schools").json()
    assert {row["name"] for row in listed} == own
    page = client.get("/schools/").content.decode()
    assert "2 schools" in page

    login = {"username": "demo-chief", "password": DEMO_PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 302
    assert len(client.get("/api/schools").json()) == 60
    assert "60 schools" in client.get("/schools/").content.decode()
    assert Zone.objects.count() == len(client.get("/api/zones").json())
