"""schemathesis over every API operation, as the chief and as an SA, against the WSGI app.

The app is the real Django WSGI application over the test database (SQLite, or PostgreSQL in
the PostgreSQL pass). Bounded and deterministic: a fixed number of examples per operation,
derandomized. Checks: no 5xx, responses match their documented schema and status codes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.utils import timezone
from hypothesis import HealthCheck, settings
from pytest_django import DjangoDbBlocker
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from safeops.api import api
from safeops.dispatch.services import officer_duty_set, officer_position_update, request_create
from safeops.staff.choices import Role
from safeops.threats import tips
from safeops.threats.choices import Urgency
from safeops.wsgi import application
from tests.safeops.factories import ScenarioDistrict, build_scenario
from tests.safeops.referrals.helpers import make_service, refer
from tests.safeops.seeded import module_transaction
from tests.safeops.threats.helpers import make_case

MAX_EXAMPLES = 12
# Values that broke the API before: NUL in text (PostgreSQL), ids past 64 bits (SQLite).
HOSTILE_TEXT = ["a\x00b", "\x00"]
HOSTILE_INTEGERS = [2**63, 2**64, -(2**63) - 1]
CONFIG = schemathesis.Config.from_dict(
    {
        "dictionaries": {
            "hostile-text": {"values": HOSTILE_TEXT},
            "hostile-integers": {"values": HOSTILE_INTEGERS},
        },
        "generation": {
            "mode": "all",
            "deterministic": True,
            "database": "none",
            "dictionaries": {
                "string": {"dictionary": "hostile-text", "probability": 0.2},
                "integer": {"dictionary": "hostile-integers", "probability": 0.2},
            },
        },
        "phases": {
            "stateful": {"enabled": False},
            "coverage": {"unexpected-methods": [], "generation": {"mode": "positive"}},
        },
    }
)
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
ROLES = {"chief": Role.SECURITY_CHIEF, "sa": Role.SAFETY_ADMINISTRATOR}


def _token_for(username: str) -> str:
    out = io.StringIO()
    call_command("create_token", username, stdout=out)
    return out.getvalue().strip()


def _seed(s: ScenarioDistrict) -> None:
    """A little of everything the API reads: requests, officers, a tip, a case, a referral."""
    officer = s.people[Role.SSO]
    officer_duty_set(officer=officer, on_duty=True, actor="system:test")
    officer_position_update(officer=officer, latitude=38.2, longitude=-85.7, actor="system:test")
    sa = s.users[Role.SAFETY_ADMINISTRATOR]
    request_create(
        actor=sa,
        school=s.school_a,
        category="fight_assault",
        priority="p2",
        summary="Two students fighting at the bus loop, one has a bloody lip",
    )
    tips.tip_submit(
        district=s.district,
        school=s.school_a,
        place="",
        what="Someone posted a threat about the school",
        when_text="today",
        urgency=Urgency.UNSURE,
        address="192.0.2.1",
    )
    make_case(s.school_a, team=[s.people[Role.SAFETY_ADMINISTRATOR]])
    service = make_service("Family housing help", category="basic_needs", near=s.school_a)
    refer(sa, s.school_a, service)


@contextmanager
def _wsgi_requests_keep_the_test_connection() -> Iterator[None]:
    """Like Django's test client: a request's start and end must not close the connection
    that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _ids_like_sqlite() -> None:
    """On PostgreSQL, restart each id sequence after the table's largest id (as SQLite does),
    so the seeded records have the small ids the fuzzer tries first in either pass."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(scope="module")
def seeded_bearers(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[dict[str, dict[str, str]]]:
    """The Authorization header of each role, over a small district seeded once for the
    module (tests/safeops/seeded.py): each operation's writes roll back after its test."""
    with _wsgi_requests_keep_the_test_connection(), module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            _ids_like_sqlite()
            s = build_scenario(today=timezone.localdate())
            _seed(s)
            headers = {
                name: {"Authorization": f"Bearer {_token_for(s.users[role].username)}"}  # type: ignore[attr-defined]
                for name, role in ROLES.items()
            }
        yield headers


@pytest.fixture
def bearers(seeded_bearers: dict[str, dict[str, str]], db: None) -> dict[str, dict[str, str]]:
    """Each operation's test starts from the seeded district, inside its own transaction."""
    return seeded_bearers


schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"), config=CONFIG)
schema.app = application


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_has_no_server_errors_and_keeps_its_schema(
    case: Any, bearers: dict[str, dict[str, str]]
) -> None:
    for role, headers in bearers.items():
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as failure:
            failure.add_note(f"(as the {role})")
            raise
