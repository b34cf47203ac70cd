"""Who sees which plan: an SSO their own; the chief and dispatchers all; no other role."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import Http404
from django.test import Client

from safeops.core.models import AuditEntry
from safeops.patrol.models import PatrolPlan
from safeops.patrol.selectors import plan_get_for_user
from safeops.patrol.services import plans_generate
from safeops.staff.choices import Role
from tests.safeops.patrol.conftest import PatrolScenario

pytestmark = pytest.mark.shared_scenario

SUPERVISORS = {Role.SECURITY_CHIEF, Role.DISPATCHER}


def _plans(patrol: PatrolScenario) -> tuple[PatrolPlan, PatrolPlan]:
    plans_generate(district_id=patrol.s.district.pk, day=patrol.today, actor="system:test")
    return (
        PatrolPlan.objects.get(person=patrol.officer_a, day=patrol.today),
        PatrolPlan.objects.get(person=patrol.officer_b, day=patrol.today),
    )


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_by_scope(patrol: PatrolScenario, role: Role) -> None:
    own, other = _plans(patrol)  # the scenario's SSO login is officer A
    user = patrol.s.users[role]
    client = _client(user)
    coverage = client.get("/patrol/coverage/")
    assert coverage.status_code == (200 if role in SUPERVISORS else 403)
    today = client.get("/api/patrol/today")
    if role == Role.SSO:
        assert today.status_code == 200 and today.json()["id"] == own.pk
    else:
        assert today.status_code == 404
    officer_page = client.get("/patrol/")
    expected_page = {Role.SSO: 200, Role.SECURITY_CHIEF: 302, Role.DISPATCHER: 302}
    assert officer_page.status_code == expected_page.get(role, 403)
    for plan, visible in (
        (own, role in SUPERVISORS or role == Role.SSO),
        (other, role in SUPERVISORS),
    ):
        try:
            plan_get_for_user(user=user, plan_id=plan.pk)
            seen = True
        except Http404:
            seen = False
        assert seen == visible, (role, plan.person.full_name)


@pytest.mark.django_db
def test_a_supervisor_reading_a_plan_and_the_coverage_is_audited(patrol: PatrolScenario) -> None:
    own, _other = _plans(patrol)
    plan_get_for_user(user=patrol.officer_a.user, plan_id=own.pk)
    assert not AuditEntry.objects.filter(action="view").exists()  # one's own plan
    plan_get_for_user(user=patrol.chief, plan_id=own.pk)
    assert AuditEntry.objects.get(action="view").object_id == str(own.pk)
    _client(patrol.dispatcher).get("/patrol/coverage.csv")
    assert AuditEntry.objects.filter(action="export", actor=patrol.dispatcher).exists()


@pytest.mark.django_db
def test_check_in_through_the_api_and_the_coverage_csv(patrol: PatrolScenario) -> None:
    own, other = _plans(patrol)
    officer = _client(patrol.officer_a.user)
    stop = own.visits.select_related("school").order_by("position").first()
    assert stop is not None and stop.school is not None
    body = {
        "latitude": stop.school.latitude,
        "longitude": stop.school.longitude,
        "idempotency_key": "phone-1",
    }
    url = f"/api/patrol/visits/{stop.pk}/check-in"
    first = officer.post(url, body, content_type="application/json")
    again = officer.post(url, body, content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert (first.json()["replayed"], again.json()["replayed"]) == (False, True)
    assert first.json()["visit"]["within_geofence"] is True
    refused = officer.post(
        url, {**body, "idempotency_key": "phone-2"}, content_type="application/json"
    )
    assert refused.status_code == 409
    # Another officer's stop does not exist for this officer.
    theirs = other.visits.first()
    assert theirs is not None
    missing = officer.post(
        f"/api/patrol/visits/{theirs.pk}/check-in", body, content_type="application/json"
    )
    assert missing.status_code == 404
    bad = officer.post(
        f"/api/patrol/visits/{stop.pk}/skip", {"reason": "bored"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"
    response = _client(patrol.chief).get("/patrol/coverage.csv")
    rows = {row["school"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows[stop.school.name]["visits"] == "1"
    assert rows[stop.school.name]["target"] == "2"
