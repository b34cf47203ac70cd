from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from safeops.core.models import AuditEntry
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from safeops.staff.services import (
    ROLE_HAS_NO_ASSIGNMENT,
    assignment_create,
    assignment_end,
    person_create,
)
from tests.safeops.factories import DistrictFactory, ScenarioDistrict, SchoolFactory

pytestmark = pytest.mark.shared_scenario

DAY = dt.date(2099, 8, 1)  # after the scenario's assignments began, so they overlap


@pytest.mark.django_db
def test_an_sso_is_assigned_to_a_zone_not_a_school(scenario: ScenarioDistrict) -> None:
    officer = person_create(
        district=scenario.district, full_name="New Officer", role=Role.SSO, actor="system:test"
    )
    with pytest.raises(ValidationError, match="School Safety Officer is assigned to a zone"):
        assignment_create(
            person=officer, school=scenario.school_b, starts_on=DAY, actor="system:test"
        )
    assignment = assignment_create(
        person=officer, zone=scenario.zone_b, starts_on=DAY, actor="system:test"
    )
    assert assignment.zone == scenario.zone_b


@pytest.mark.django_db
def test_district_roles_have_no_assignment(scenario: ScenarioDistrict) -> None:
    dispatcher = scenario.people[Role.DISPATCHER]
    with pytest.raises(ValidationError) as error:
        assignment_create(
            person=dispatcher, zone=scenario.zone_a, starts_on=DAY, actor="system:test"
        )
    assert error.value.messages == [ROLE_HAS_NO_ASSIGNMENT.format(role="Dispatcher")]


@pytest.mark.django_db
def test_a_principal_leads_one_school_at_a_time(scenario: ScenarioDistrict) -> None:
    principal = scenario.people[Role.PRINCIPAL]
    with pytest.raises(ValidationError, match="may have 1"):
        assignment_create(
            person=principal, school=scenario.school_b, starts_on=DAY, actor="system:test"
        )


@pytest.mark.django_db
def test_a_safety_administrator_may_cover_two_schools(scenario: ScenarioDistrict) -> None:
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    assignment_create(person=sa, school=scenario.high_a, starts_on=DAY, actor="system:test")
    assert Assignment.objects.filter(person=sa).count() == 2


@pytest.mark.django_db
def test_ending_an_assignment_keeps_it_as_history_and_narrows_scope(
    scenario: ScenarioDistrict,
) -> None:
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    assignment = Assignment.objects.get(person=sa)
    today = timezone.localdate()
    assignment_end(assignment=assignment, ends_on=today, actor="system:test")
    assert Assignment.objects.filter(pk=assignment.pk, ends_on=today).exists()
    assert AuditEntry.objects.filter(
        model="staff.assignment", object_id=str(assignment.pk), action="update"
    ).exists()
    client = Client()
    client.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    assert client.get(f"/schools/{scenario.school_a.pk}/").status_code == 404


@pytest.mark.django_db
def test_an_assignment_in_another_district_is_refused(scenario: ScenarioDistrict) -> None:
    elsewhere = SchoolFactory(district=DistrictFactory(name="Elsewhere"))
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    with pytest.raises(ValidationError, match="another district"):
        assignment_create(person=sa, school=elsewhere, starts_on=DAY, actor="system:test")
