"""A dispatch scenario on top of the shared one: two on-duty officers, one per zone."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from django.db import connection
from django.utils import timezone

from safeops.dispatch.models import SupportRequest
from safeops.dispatch.recommend import forget_officers
from safeops.dispatch.services import (
    officer_duty_set,
    officer_position_update,
    request_create,
)
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from tests.safeops.factories import PersonFactory, ScenarioDistrict, UserFactory


@dataclass
class DispatchScenario:
    s: ScenarioDistrict
    officer_a: Person  # the SSO login of zone A
    officer_b: Person  # zone B's officer (with a login too)
    sa: Any
    dispatcher: Any
    chief: Any

    def file(self, **overrides: Any) -> SupportRequest:
        fields: dict[str, Any] = {
            "actor": self.sa,
            "school": self.s.school_a,
            "category": "fight_assault",
            "priority": "p1",
            "summary": "Two students fighting in the cafeteria",
        }
        fields.update(overrides)
        return request_create(**fields).request


@pytest.fixture(autouse=True)
def _fresh_officer_cache() -> None:
    forget_officers()


@pytest.fixture
def dispatch(scenario: ScenarioDistrict) -> DispatchScenario:
    s = scenario
    # Fixed places: area A around (38.20, -85.70), area B about 11 km east.
    places = {
        s.high_a: (38.200, -85.700),
        s.school_a: (38.210, -85.690),
        s.high_b: (38.200, -85.575),
        s.school_b: (38.210, -85.565),
    }
    for school, (lat, lon) in places.items():
        School.objects.filter(pk=school.pk).update(latitude=lat, longitude=lon)
        school.latitude, school.longitude = lat, lon
    officer_a = s.people[Role.SSO]
    officer_b = PersonFactory(
        district=s.district,
        role=Role.SSO,
        full_name="B Officer",
        user=UserFactory(username="sso-b"),
    )
    Assignment.objects.create(
        person=officer_b, zone=s.zone_b, starts_on=timezone.localdate() - dt.timedelta(days=30)
    )
    for officer, school in ((officer_a, s.high_a), (officer_b, s.high_b)):
        officer_duty_set(officer=officer, on_duty=True, actor="system:test")
        officer_position_update(
            officer=officer,
            latitude=school.latitude,
            longitude=school.longitude,
            actor="system:test",
        )
    forget_officers()
    return DispatchScenario(
        s=s,
        officer_a=officer_a,
        officer_b=officer_b,
        sa=s.users[Role.SAFETY_ADMINISTRATOR],
        dispatcher=s.users[Role.DISPATCHER],
        chief=s.users[Role.SECURITY_CHIEF],
    )


@pytest.fixture
def asgi_server(transactional_db: None) -> Iterator[str]:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file test database (SAFEOPS_SQLITE_TEST_FILE is 'memory')")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        "safeops.asgi:application",
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
