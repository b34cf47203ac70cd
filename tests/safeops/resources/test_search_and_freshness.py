"""Search (category, text, distance, open now), schedules, freshness tasks and access."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from safeops.access import Action, Resource, can_any
from safeops.core.models import AuditEntry
from safeops.core.notify.models import ChannelPreference
from safeops.resources.models import Schedule, Service, VerificationTask
from safeops.resources.opening import is_open
from safeops.resources.selectors import directory_search
from safeops.resources.services import (
    directory_service_create,
    record_verify,
    verification_tasks_create,
)
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario

LOUISVILLE = ZoneInfo("America/Kentucky/Louisville")
ACTOR = "system:test"


def schedule(**fields: object) -> SimpleNamespace:
    base = dict.fromkeys(
        ("valid_from", "valid_to", "dtstart", "until", "freq", "byday", "bymonthday"), ""
    )
    base.update(opens_at="09:00", closes_at="17:00", interval=None, timezone=None)
    base.update(fields)
    return SimpleNamespace(**base)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOUISVILLE)


# 2026-03-02 is a Monday; 2026-03-27 is the last Friday of March.
@pytest.mark.parametrize(
    ("fields", "at", "expected"),
    [
        ({"freq": "WEEKLY", "byday": "MO,WE"}, local(2026, 3, 2, 9, 0), True),
        ({"freq": "WEEKLY", "byday": "MO,WE"}, local(2026, 3, 2, 17, 0), False),
        ({"freq": "WEEKLY", "byday": "MO,WE"}, local(2026, 3, 3, 10, 0), False),
        # 14:30 UTC is 09:30 in Louisville (EST, UTC-5) on 2 March.
        ({"freq": "WEEKLY", "byday": "MO"}, dt.datetime(2026, 3, 2, 14, 30, tzinfo=dt.UTC), True),
        # An explicit offset wins over the district's zone: 09:00-08:00 is 12:00 in Louisville.
        ({"opens_at": "09:00-08:00", "closes_at": "10:00-08:00"}, local(2026, 3, 2, 12, 30), True),
        ({"opens_at": "09:00-08:00", "closes_at": "10:00-08:00"}, local(2026, 3, 2, 9, 30), False),
        ({"valid_to": "2026-03-01"}, local(2026, 3, 2, 10, 0), False),
        ({"valid_from": "2026-03-03"}, local(2026, 3, 2, 10, 0), False),
        ({"freq": "MONTHLY", "byday": "-1FR"}, local(2026, 3, 27, 10, 0), True),
        ({"freq": "MONTHLY", "byday": "-1FR"}, local(2026, 3, 20, 10, 0), False),
        ({"freq": "MONTHLY", "byday": "1MO"}, local(2026, 3, 2, 10, 0), True),
        ({"freq": "MONTHLY", "bymonthday": "2"}, local(2026, 3, 2, 10, 0), True),
        # Fortnightly from Monday 2 March: not on 9 March, again on 16 March.
        ({"byday": "MO", "interval": 2, "dtstart": "2026-03-02"}, local(2026, 3, 9, 10), False),
        ({"byday": "MO", "interval": 2, "dtstart": "2026-03-02"}, local(2026, 3, 16, 10), True),
        # Overnight shelter 19:00-07:00 on Mondays: open at 02:00 on Tuesday.
        ({"byday": "MO", "opens_at": "19:00", "closes_at": "07:00"}, local(2026, 3, 3, 2), True),
        ({"byday": "MO", "opens_at": "19:00", "closes_at": "07:00"}, local(2026, 3, 2, 2), False),
        ({"opens_at": ""}, local(2026, 3, 2, 10, 0), None),
    ],
)
def test_is_open(fields: dict[str, object], at: dt.datetime, expected: bool | None) -> None:
    assert is_open(schedule(**fields), at, "America/Kentucky/Louisville") is expected  # type: ignore[arg-type]


def place(name: str, lat: float, lon: float, categories: list[str], **kw: object) -> Service:
    return directory_service_create(
        organization_name=f"{name} Org",
        service_name=name,
        categories=categories,
        latitude=lat,
        longitude=lon,
        address_1="1 Main St",
        city="Louisville",
        state_province="KY",
        postal_code="40202",
        actor=ACTOR,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.django_db
def test_search_by_category_text_distance_and_open_now(scenario: ScenarioDistrict) -> None:
    school = scenario.school_a
    school.latitude, school.longitude = 38.20, -85.70
    school.save()
    far = place("Far Shelter", 38.30, -85.70, ["shelter"])  # 11.12 km north
    near = place("Near Shelter", 38.21, -85.70, ["shelter"])  # 1.11 km north
    place("Clinic", 38.20, -85.70, ["mental_health"])
    Schedule.objects.create(
        hsds_id="s-near",
        service_id=near.hsds_id,
        freq="WEEKLY",
        byday="MO",
        opens_at="09:00",
        closes_at="17:00",
    )
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    results = directory_search(user=sa, category="shelter", school=school)  # type: ignore[arg-type]
    assert [r.service.name for r in results] == ["Near Shelter", "Far Shelter"]
    assert [r.distance_km for r in results] == [1.11, 11.12]
    assert results[0].categories == ("shelter",)
    monday_10 = local(2026, 3, 2, 10, 0)
    open_ = directory_search(
        user=sa,
        category="shelter",
        school=school,
        open_now=True,
        at=monday_10,  # type: ignore[arg-type]
    )
    assert [r.service.pk for r in open_] == [near.pk]
    assert [r.service.pk for r in directory_search(user=sa, text="far")] == [far.pk]  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "view", "change"),
    [
        (Role.SECURITY_CHIEF, True, True),
        (Role.DISPATCHER, True, False),
        (Role.SSO, True, False),
        (Role.SAFETY_ADMINISTRATOR, True, False),
        (Role.PRINCIPAL, True, False),
        (Role.MENTAL_HEALTH_PRACTITIONER, True, True),
        (Role.COUNSELOR, True, False),
        (Role.SECURITY_MONITOR, True, False),
        (Role.COURT_LIAISON, True, True),
        (Role.VIOLENCE_PREVENTION_SPECIALIST, True, True),
        (Role.TRAINING_COORDINATOR, True, True),
        (Role.COMMUNITY_MONITOR, False, False),
    ],
)
def test_access_table(scenario: ScenarioDistrict, role: Role, view: bool, change: bool) -> None:
    service = place("Any", 38.2, -85.7, ["shelter"])
    user = scenario.users[role]
    assert can_any(user, Action.VIEW, Resource.RESOURCE_DIRECTORY) is view  # type: ignore[arg-type]
    assert can_any(user, Action.CHANGE, Resource.RESOURCE_DIRECTORY) is change  # type: ignore[arg-type]
    found = [r.service.pk for r in directory_search(user=user)]  # type: ignore[arg-type]
    assert found == ([service.pk] if view else [])


@pytest.mark.django_db
def test_stale_records_get_one_task_and_one_email(scenario: ScenarioDistrict, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RESOURCE_STALE_AFTER_DAYS = 180
    owner = scenario.people[Role.MENTAL_HEALTH_PRACTITIONER]
    owner.email = "mhp@example.org"
    owner.save()
    today = dt.date(2026, 6, 30)
    stale = place("Stale", 38.2, -85.7, [], owner=owner, verified_on=today - dt.timedelta(181))
    place("Fresh", 38.2, -85.7, [], owner=owner, verified_on=today - dt.timedelta(180))
    # The stale service's organization was verified with it: one task each.
    assert verification_tasks_create(today=today) == 2
    assert verification_tasks_create(today=today) == 0  # deduplicated
    assert len(mail.outbox) == 2
    assert "Stale" in mail.outbox[0].subject
    task = VerificationTask.objects.get(service=stale)
    record_verify(record=stale, actor=scenario.users[Role.MENTAL_HEALTH_PRACTITIONER], on=today)  # type: ignore[arg-type]
    task.refresh_from_db()
    assert task.completed_at is not None
    stale.refresh_from_db()
    assert stale.last_verified_on == today
    entry = AuditEntry.objects.filter(model="resources.service", object_id=str(stale.pk)).first()
    assert entry is not None and entry.changes["last_verified_on"][1] == today.isoformat()
    assert verification_tasks_create(today=today) == 0


@pytest.mark.django_db
def test_the_verification_email_is_in_the_owners_alert_language(
    scenario: ScenarioDistrict,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.RESOURCE_STALE_AFTER_DAYS = 180
    owner = scenario.people[Role.MENTAL_HEALTH_PRACTITIONER]
    owner.email = "mhp@example.org"
    owner.save()
    ChannelPreference.objects.create(user=owner.user, language="es")
    today = dt.date(2026, 6, 30)
    place("Casa Abierta", 38.2, -85.7, [], owner=owner, verified_on=today - dt.timedelta(181))
    assert verification_tasks_create(today=today) == 2
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects[0] == "Por favor verifique un recurso comunitario: Casa Abierta"
    assert all("Please verify" not in message.subject for message in mail.outbox)
    assert all("Necesita verificación" in message.body for message in mail.outbox)


@pytest.mark.django_db
def test_search_query_count_does_not_grow_with_results(
    scenario: ScenarioDistrict,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for n in range(12):
        service = place(f"Shelter {n}", 38.2 + n / 1000, -85.7, ["shelter"])
        Schedule.objects.create(
            hsds_id=f"s{n}", service_id=service.hsds_id, opens_at="09:00", closes_at="17:00"
        )
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    sa_results = directory_search(user=sa, category="shelter", school=scenario.school_a)  # type: ignore[arg-type]
    assert len(sa_results) == 12
    with django_assert_max_num_queries(14):
        directory_search(user=sa, category="shelter", school=scenario.school_a, open_now=True)  # type: ignore[arg-type]
