"""Referral pages and API: create from a service, status buttons, the provider's page, the
links on the SSO request and incident pages, and precise errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from safeops.core.discipline import (
    DISCIPLINE_REFUSED,
    SUPPORT_OVERRIDE_HINT,
    SUPPORT_REASON_LABEL,
)
from safeops.core.models import DisciplineOverride
from safeops.dispatch.choices import Disposition
from safeops.dispatch.models import SupportRequest
from safeops.incidents.models import IncidentKind
from safeops.incidents.services import incident_record
from safeops.referrals import exceptions as errors
from safeops.referrals.models import Referral, ReferralEvent
from safeops.resources.categories import Category
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.referrals.helpers import make_service, refer

pytestmark = pytest.mark.shared_scenario


def _client(s: ScenarioDistrict, role: Role) -> Client:
    client = Client()
    client.force_login(s.users[role])  # type: ignore[arg-type]
    return client


def _form(service_id: int, school_id: int, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "school": school_id,
        "service": service_id,
        "student_initials": "jd",
        "grade": "7",
        "consent_given_by": "parent_guardian",
        "consent_given_on": timezone.localdate().isoformat(),
        "consent_scope": "two_way",
        "handoff_note": "Mother asked for shelter this week; reach her by text after 3 pm.",
    }
    data.update(overrides)
    return data


def _api_body(service_id: int, school_id: int, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "school_id": school_id,
        "service_id": service_id,
        "student_initials": "AB",
        "grade": "9",
        "consent": {"given_by": "parent_guardian", "given_on": "2026-01-05", "scope": "two_way"},
        "handoff_note": "Family asked for help.",
    }
    body.update(overrides)
    return body


def test_an_sa_refers_from_a_service_and_moves_the_status(scenario: ScenarioDistrict) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    sa = _client(scenario, Role.SAFETY_ADMINISTRATOR)
    form = sa.get(f"/referrals/new/?service={shelter.pk}").content.decode()
    assert f'<option value="{shelter.pk}" selected>Harbor House</option>' in form
    response = sa.post("/referrals/new/", _form(shelter.pk, scenario.school_a.pk))
    referral = Referral.objects.get()
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert (referral.student_initials, referral.consent_scope) == ("JD", "two_way")
    page = sa.get(f"/referrals/{referral.pk}/").content.decode()
    assert "JD, grade 7" in page and 'value="contacted"' in page
    sa.post(f"/referrals/{referral.pk}/status/", {"to_status": "contacted"})
    sa.post(f"/referrals/{referral.pk}/status/", {"to_status": "services_started"})
    referral.refresh_from_db()
    assert referral.status == "contacted"  # services started needs accepted first
    sa.post(f"/referrals/{referral.pk}/status/", {"to_status": "closed"})
    referral.refresh_from_db()
    assert referral.status == "contacted"  # closing needs the outcome
    sa.post(f"/referrals/{referral.pk}/status/", {"to_status": "closed", "outcome": "other"})
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("closed", "other")


def test_the_form_refuses_discipline_and_names_missing_fields(scenario: ScenarioDistrict) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    sa = _client(scenario, Role.SAFETY_ADMINISTRATOR)
    response = sa.post(
        "/referrals/new/",
        _form(
            shelter.pk,
            scenario.school_a.pk,
            handoff_note="Needs detention for vaping in the bathroom",
        ),
    )
    assert response.status_code == 422
    assert escape(DISCIPLINE_REFUSED) in response.content.decode()
    response = sa.post(
        "/referrals/new/", _form(shelter.pk, scenario.school_a.pk, student_initials="")
    )
    assert response.status_code == 422
    assert "Give the student number or the student&#x27;s initials." in response.content.decode()
    assert not Referral.objects.exists()


# A support note the guard reads as skipping (a rule's topic, then the encoder); the referrer
# says why it is not (surgery).
TUTORING_NOTE = "He has missed 3rd period all week and is behind."


def test_the_form_offers_the_reason_only_after_a_refusal_and_sends_with_it(
    scenario: ScenarioDistrict,
) -> None:
    tutoring = make_service(
        "Family Center", category=Category.FAMILY_COUNSELING, near=scenario.school_a
    )
    sa = _client(scenario, Role.SAFETY_ADMINISTRATOR)
    assert SUPPORT_REASON_LABEL not in sa.get("/referrals/new/").content.decode()
    note = TUTORING_NOTE  # read as skipping
    refused = sa.post(
        "/referrals/new/", _form(tutoring.pk, scenario.school_a.pk, handoff_note=note)
    )
    page = refused.content.decode()
    assert refused.status_code == 422
    assert escape(SUPPORT_OVERRIDE_HINT) in page and SUPPORT_REASON_LABEL in page
    short = sa.post(
        "/referrals/new/",
        _form(tutoring.pk, scenario.school_a.pk, handoff_note=note, support_reason="surgery"),
    )
    assert short.status_code == 422
    assert "Say why this note is not a discipline matter (at least 12 characters)." in (
        short.content.decode()
    )
    sent = sa.post(
        "/referrals/new/",
        _form(
            tutoring.pk,
            scenario.school_a.pk,
            handoff_note=note,
            support_reason="Missed class for surgery, not skipping; tutoring.",
        ),
    )
    referral = Referral.objects.get()
    assert sent["Location"] == f"/referrals/{referral.pk}/"
    assert DisciplineOverride.objects.get().target_id == str(referral.pk)


def test_the_api_names_the_reason_field_and_takes_it(scenario: ScenarioDistrict) -> None:
    tutoring = make_service(
        "Family Center", category=Category.FAMILY_COUNSELING, near=scenario.school_a
    )
    sa = _client(scenario, Role.SAFETY_ADMINISTRATOR)
    body = _api_body(tutoring.pk, scenario.school_a.pk, handoff_note=TUTORING_NOTE)
    refused = sa.post("/api/referrals", data=body, content_type="application/json")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["handoff_note", "support_reason"]
    body["support_reason"] = "x" * 5
    short = sa.post("/api/referrals", data=body, content_type="application/json")
    assert short.status_code == 422
    assert [e["field"] for e in short.json()["errors"]] == ["support_reason"]
    body["support_reason"] = "Missed class for surgery, not skipping; tutoring."
    created = sa.post("/api/referrals", data=body, content_type="application/json")
    assert created.status_code == 201
    assert DisciplineOverride.objects.get().target_id == str(created.json()["id"])


def test_the_provider_link_page_shows_the_minimum_and_moves_the_status(
    scenario: ScenarioDistrict,
) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    referral = refer(
        scenario.users[Role.SAFETY_ADMINISTRATOR],
        scenario.school_a,
        shelter,
        student_number="123456",
        student_initials="JD",
    )
    sa = _client(scenario, Role.SAFETY_ADMINISTRATOR)
    page = sa.post(f"/referrals/{referral.pk}/provider-link/").content.decode()
    link = page.split('<code id="provider-link">')[1].split("</code>")[0]
    path = link.replace("http://testserver", "")
    assert 'id="provider-link"' not in sa.get(f"/referrals/{referral.pk}/").content.decode()
    provider = Client()
    shown = provider.get(path).content.decode()
    assert "Harbor House" in shown and "JD, grade 7" in shown
    assert "123456" not in shown and "shelter this week" not in shown  # no number, no note
    provider.post(path, {"to_status": "contacted"})
    provider.post(path, {"to_status": "accepted"})
    provider.post(path, {"to_status": "services_started"})
    referral.refresh_from_db()
    assert referral.status == "services_started"
    assert ReferralEvent.objects.filter(referral=referral, via_provider_link=True).count() == 3
    assert provider.get(path.replace("/provider/", "/provider/x")).status_code == 404
    # The link is shown once.
    assert '<code id="provider-link">' not in sa.get(f"/referrals/{referral.pk}/").content.decode()


def test_an_sso_disposition_links_to_a_new_referral_and_back(scenario: ScenarioDistrict) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    request = SupportRequest.objects.create(
        district=scenario.district,
        school=scenario.school_a,
        latitude=38.2,
        longitude=-85.7,
        requester=scenario.users[Role.SAFETY_ADMINISTRATOR],
        requester_label="sa",
        category="person_in_crisis",
        priority="p2",
        summary="Student in crisis",
        status="cleared",
        officer=scenario.people[Role.SSO],
        disposition=Disposition.REFERRED,
    )
    sso = _client(scenario, Role.SSO)
    page = sso.get(f"/dispatch/requests/{request.pk}/").content.decode()
    new_link = f"/referrals/new/?support_request={request.pk}&amp;school={scenario.school_a.pk}"
    assert new_link in page and "Refer to a support resource" in page
    form = sso.get(new_link.replace("&amp;", "&")).content.decode()
    assert f'name="support_request_id" value="{request.pk}"' in form
    sso.post(
        "/referrals/new/",
        _form(shelter.pk, scenario.school_a.pk, support_request_id=request.pk),
    )
    referral = Referral.objects.get()
    assert referral.support_request_id == request.pk
    page = sso.get(f"/dispatch/requests/{request.pk}/").content.decode()
    assert f'href="/referrals/{referral.pk}/"' in page


def test_an_incident_page_links_its_referrals(scenario: ScenarioDistrict) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    sa_user = scenario.users[Role.SAFETY_ADMINISTRATOR]
    incident = incident_record(
        school=scenario.school_a,
        kind=IncidentKind.SELF_HARM,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        place="Library",
        summary="Student disclosed thoughts of self-harm.",
        actions_taken="Stayed with the student, called the counselor and the family.",
        actor=sa_user,  # type: ignore[arg-type]
    )
    referral = refer(sa_user, scenario.school_a, shelter, incident_id=incident.pk)
    page = _client(scenario, Role.SAFETY_ADMINISTRATOR).get(f"/incidents/{incident.pk}/")
    html = page.content.decode()
    assert f'href="/referrals/{referral.pk}/"' in html
    assert f"/referrals/new/?incident={incident.pk}" in html
    # The principal reads the incident but not referrals: no referral is shown there.
    principal_page = _client(scenario, Role.PRINCIPAL).get(f"/incidents/{incident.pk}/")
    assert f'href="/referrals/{referral.pk}/"' not in principal_page.content.decode()


def test_api_errors_name_the_field(scenario: ScenarioDistrict) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    sa = _client(scenario, Role.SAFETY_ADMINISTRATOR)
    body = _api_body(shelter.pk, scenario.school_a.pk, grade="13")
    response = sa.post("/api/referrals", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "grade"
    body["grade"] = "9"
    created = sa.post("/api/referrals", data=body, content_type="application/json")
    assert created.status_code == 201
    referral_id = created.json()["id"]
    conflict = sa.post(
        f"/api/referrals/{referral_id}/transition",
        data={"to_status": "services_started"},
        content_type="application/json",
    )
    assert conflict.status_code == 409
    assert conflict.json()["allowed"] == ["contacted", "closed"]
    assert conflict.json()["errors"] == [
        {
            "field": "to_status",
            "message": errors.ILLEGAL_TRANSITION.format(
                current="sent", target="services started", allowed="contacted, closed"
            ),
        }
    ]
    missing = sa.post(
        f"/api/referrals/{referral_id}/transition",
        data={"to_status": "closed"},
        content_type="application/json",
    )
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "outcome", "message": errors.OUTCOME_REQUIRED}]


def test_the_provider_link_is_shown_once_and_never_kept_in_the_session(
    scenario: ScenarioDistrict,
) -> None:
    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    referral = refer(scenario.users[Role.SAFETY_ADMINISTRATOR], scenario.school_a, shelter)
    sa = _client(scenario, Role.SAFETY_ADMINISTRATOR)
    response = sa.post(f"/referrals/{referral.pk}/provider-link/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    link = response.content.decode().split('<code id="provider-link">')[1].split("</code>")[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    stored = [str(row.get_decoded()) for row in Session.objects.all()]
    assert stored and not any(token in text for text in stored)
