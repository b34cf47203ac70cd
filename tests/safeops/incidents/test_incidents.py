"""The incident intervention log: safety incidents only, discipline refused with guidance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from safeops.core.discipline import DISCIPLINE_REFUSED, DisciplineRefusal
from safeops.core.models import AuditEntry, DisciplineOverride, DisciplineRefusalRecord
from safeops.incidents.models import Incident, IncidentKind, PersonRole, ReferralTo
from safeops.incidents.services import (
    REQUEST_NOT_AT_SCHOOL,
    PersonInput,
    ReferralInput,
    incident_record,
)
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario

DISCIPLINE_WORDS = {
    "dress_code",
    "tardy",
    "detention",
    "suspension",
    "discipline",
    "offense",
    "consequence",
}


def test_the_log_has_no_discipline_fields() -> None:
    names = {f.name for f in Incident._meta.get_fields()}
    assert not {n for n in names if any(w in n for w in DISCIPLINE_WORDS)}


def _record(scenario: ScenarioDistrict, **overrides: object) -> Incident:
    fields: dict[str, object] = {
        "school": scenario.school_a,
        "kind": IncidentKind.FIGHT,
        "occurred_at": timezone.now() - dt.timedelta(hours=2),
        "place": "Cafeteria",
        "summary": "Two students fighting; one with a cut lip.",
        "actions_taken": "Separated the students, nurse treated the cut, SSO requested.",
        "people": [PersonInput(PersonRole.STUDENT, 2, "involved"), PersonInput(PersonRole.STAFF)],
        "referrals": [ReferralInput(ReferralTo.COUNSELOR), ReferralInput(ReferralTo.THREAT_TEAM)],
        "actor": scenario.users[Role.SAFETY_ADMINISTRATOR],
    }
    fields.update(overrides)
    return incident_record(**fields)  # type: ignore[arg-type]


def test_an_sa_records_a_safety_incident(scenario: ScenarioDistrict) -> None:
    incident = _record(scenario, follow_up_on=dt.date(2026, 12, 1))
    assert sorted(incident.people.values_list("role", "count")) == [("staff", 1), ("student", 2)]
    assert sorted(incident.referrals.values_list("to", flat=True)) == ["counselor", "threat_team"]


@pytest.mark.parametrize(
    "summary",
    ["Student out of dress code again", "Repeated tardies to class", "Wants detention for him"],
)
def test_a_discipline_matter_is_refused_with_guidance_and_counted(
    scenario: ScenarioDistrict, summary: str
) -> None:
    with pytest.raises(DisciplineRefusal) as caught:
        _record(scenario, kind=IncidentKind.OTHER, summary=summary)
    assert caught.value.message == DISCIPLINE_REFUSED
    assert not Incident.objects.exists()
    record = DisciplineRefusalRecord.objects.get()
    assert (record.source, record.school_id) == ("incidents", scenario.school_a.pk)


def test_the_page_shows_the_refusal(scenario: ScenarioDistrict) -> None:
    client = Client()
    client.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    response = client.post(
        "/incidents/new/",
        {
            "school": scenario.school_a.pk,
            "kind": "other",
            "date": timezone.localdate().isoformat(),
            "time": "00:01",
            "place": "Hall",
            "summary": "Student was disrespectful to a teacher",
            "actions_taken": "Talked to him",
        },
    )
    assert response.status_code == 422
    assert escape(DISCIPLINE_REFUSED) in response.content.decode()
    assert not Incident.objects.exists()


def test_the_page_logs_a_refused_matter_as_safety_with_the_reason(
    scenario: ScenarioDistrict,
) -> None:
    client = Client()
    client.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    form = {
        "school": scenario.school_a.pk,
        "kind": "other",
        "date": timezone.localdate().isoformat(),
        "time": "00:01",
        "place": "Hall",
        "summary": "Student was disrespectful to a teacher",
        "actions_taken": "Talked to him",
    }
    refused = client.post("/incidents/new/", form).content.decode()
    assert 'name="safety_reason"' in refused
    assert 'name="safety_reason"' not in client.get("/incidents/new/").content.decode()
    reason = "He said he would wait for her at her car tonight"
    response = client.post("/incidents/new/", {**form, "safety_reason": reason})
    incident = Incident.objects.get()
    assert response["Location"] == f"/incidents/{incident.pk}/"
    override = DisciplineOverride.objects.get()
    assert (override.source, override.reason, override.target_id) == (
        "incidents",
        reason,
        str(incident.pk),
    )
    assert AuditEntry.objects.filter(model="core.disciplineoverride").count() == 1


def test_a_linked_sso_request_must_be_this_schools(scenario: ScenarioDistrict) -> None:
    with pytest.raises(ValidationError) as caught:
        _record(scenario, support_request_id=999_999)
    assert caught.value.message_dict == {"support_request": [REQUEST_NOT_AT_SCHOOL]}


def test_only_the_schools_sa_logs_incidents(scenario: ScenarioDistrict) -> None:
    principal = Client()
    principal.force_login(scenario.users[Role.PRINCIPAL])  # type: ignore[arg-type]
    assert principal.get("/incidents/new/").status_code == 403
    sa = Client()
    sa.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    form = sa.get("/incidents/new/").content.decode()
    assert "A Middle" in form and "B Middle" not in form
