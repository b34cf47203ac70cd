"""Every read of sensitive records is audited on every surface (issue 13, finding 7): the API's
tip and case lists, and the admin's lists and change views of tips, cases, referrals, incidents
and training records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from safeops.core.models import AuditEntry
from safeops.incidents.models import IncidentKind
from safeops.incidents.services import incident_record
from safeops.staff.choices import Role
from safeops.threats.tips import tip_submit
from safeops.training.models import Topic
from safeops.training.services import completion_record
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.threats.helpers import make_case
from tests.safeops.training.helpers import seed

pytestmark = pytest.mark.shared_scenario


def _client(scenario: ScenarioDistrict, role: Role) -> Client:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    return client


def _entries(model: str, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model=model, action=action))


def test_the_api_lists_of_tips_and_cases_are_audited(scenario: ScenarioDistrict) -> None:
    tip_submit(
        district=scenario.district,
        school=scenario.school_a,
        place="",
        what="A threat was written on the wall.",
        when_text="",
        urgency="soon",
        address="test",
    )
    make_case(scenario.school_a)
    sa = _client(scenario, Role.SAFETY_ADMINISTRATOR)
    assert sa.get("/api/tips").status_code == 200
    assert sa.get("/api/threat-cases").status_code == 200
    tips = _entries("threats.tip", "export")
    cases = _entries("threats.threatcase", "export")
    assert len(tips) == 1 and tips[0].object_repr == "1 rows"
    assert len(cases) == 1 and cases[0].object_repr == "1 rows"
    assert tips[0].actor == scenario.users[Role.SAFETY_ADMINISTRATOR]


def test_admin_lists_and_change_views_of_sensitive_records_are_audited(
    scenario: ScenarioDistrict,
) -> None:
    case = make_case(scenario.school_a)
    incident = incident_record(
        school=scenario.school_a,
        kind=IncidentKind.FIGHT,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        place="Gym",
        summary="Two students fighting.",
        actions_taken="Separated them.",
        actor=scenario.users[Role.SAFETY_ADMINISTRATOR],  # type: ignore[arg-type]
    )
    seed(scenario.district)
    completion = completion_record(
        person=scenario.people[Role.SAFETY_ADMINISTRATOR],
        topic=Topic.objects.filter(district=scenario.district).first(),  # type: ignore[arg-type]
        hours=Decimal(1),
        completed_on=timezone.localdate(),
        actor="system:test",
    )
    sa = _client(scenario, Role.SAFETY_ADMINISTRATOR)
    for model, pk in (
        ("threats/threatcase", case.pk),
        ("incidents/incident", incident.pk),
        ("training/completion", completion.pk),
    ):
        label = model.replace("/", ".")
        AuditEntry.objects.filter(model=label).delete()
        assert sa.get(f"/admin/{model}/").status_code == 200
        assert [e.object_id for e in _entries(label, "export")] == ["*"], label
        assert sa.get(f"/admin/{model}/{pk}/change/").status_code == 200
        assert [e.object_id for e in _entries(label, "view")] == [str(pk)], label
