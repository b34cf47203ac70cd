"""The after-the-call pages: the report form and the hand-offs, as the officer uses them."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from safeops.core.models import AuditEntry
from safeops.dispatch.services import request_transition
from safeops.ssoreports import exceptions as errors
from safeops.ssoreports.choices import HandoffKind
from safeops.ssoreports.models import Handoff, SsoReport
from safeops.ssoreports.services import ReportInput, sso_report_save
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.referrals.helpers import make_service
from tests.safeops.ssoreports.conftest import attended, cleared

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _officer(d: DispatchScenario) -> Client:
    client = Client()
    client.force_login(d.officer_a.user)  # type: ignore[arg-type]
    return client


def test_the_officer_writes_the_report_on_the_page(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch, disposition="report_taken")
    client = _officer(dispatch)
    page = client.get(f"/sso-reports/requests/{request.pk}/")
    assert page.status_code == 200 and b'id="report-form"' in page.content
    response = client.post(
        f"/sso-reports/requests/{request.pk}/report/",
        {
            "narrative": "Trespasser escorted off campus.",
            "outside_agency": "Metro Police",
            "case_number": "24-9",
            "call_911_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    report = SsoReport.objects.get(request=request)
    assert report.narrative == "Trespasser escorted off campus." and report.case_number == "24-9"
    again = client.get(f"/sso-reports/requests/{request.pk}/")
    assert b"Trespasser escorted" in again.content  # the form comes back filled


def test_a_bad_report_names_the_field(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch)
    response = _officer(dispatch).post(
        f"/sso-reports/requests/{request.pk}/report/", {"narrative": "x", "case_number": "24-1"}
    )
    assert response.status_code == 422
    assert b"Name the outside agency whose case number this is." in response.content
    assert not SsoReport.objects.exists()


def test_discipline_is_refused_on_the_page(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch)
    response = _officer(dispatch).post(
        f"/sso-reports/requests/{request.pk}/report/",
        {"narrative": "Student sent out for a dress code violation."},
    )
    assert response.status_code == 422 and b'id="discipline-refusal"' in response.content
    assert not SsoReport.objects.exists()


def test_a_call_returned_as_discipline_shows_no_report_form(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch, disposition="discipline")
    page = _officer(dispatch).get(f"/sso-reports/requests/{request.pk}/")
    assert page.status_code == 200
    assert b'id="no-report"' in page.content
    assert str(errors.RETURNED_AS_DISCIPLINE).encode() in page.content
    assert b'id="report-form"' not in page.content


def test_a_report_written_on_scene_stays_readable_after_a_discipline_return(
    dispatch: DispatchScenario,
) -> None:
    request = attended(dispatch)
    sso_report_save(
        request_id=request.pk,
        actor=dispatch.officer_a.user,
        data=ReportInput(narrative="Arrived; the hallway was clear."),
    )
    request_transition(
        request_id=request.pk,
        to_status="cleared",
        disposition="discipline",
        actor=dispatch.officer_a.user,
    )
    report = SsoReport.objects.get(request=request)
    page = _officer(dispatch).get(f"/sso-reports/requests/{request.pk}/")
    assert b'id="no-report"' in page.content
    assert b'id="report-form"' not in page.content
    assert f"/sso-reports/{report.pk}/".encode() in page.content


def test_referred_opens_the_referral_form_prefilled(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch, disposition="referred")
    client = _officer(dispatch)
    response = client.post(f"/sso-reports/requests/{request.pk}/handoffs/support_referral/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/referrals/new/"
    query = parse_qs(target.query)
    assert query == {"school": [str(request.school_id)], "support_request": [str(request.pk)]}
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert f'name="support_request_id" value="{request.pk}"'.encode() in form.content
    handoff = Handoff.objects.get(request=request)
    assert handoff.kind == HandoffKind.SUPPORT_REFERRAL
    assert AuditEntry.objects.filter(model="ssoreports.handoff", object_id=str(handoff.pk)).exists()


def test_court_notice_needs_the_consent_box(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch, disposition="arrest")
    client = _officer(dispatch)
    url = f"/sso-reports/requests/{request.pk}/handoffs/court_liaison_notice/"
    fields = {"consent_given_by": "parent_guardian", "consent_given_on": timezone.localdate()}
    refused = client.post(url, fields)
    assert refused.status_code == 422 and not Handoff.objects.exists()
    sent = client.post(url, {**fields, "consent_confirmed": "on", "note": "Court Tuesday"})
    assert sent.status_code == 302
    notice = Handoff.objects.get()
    assert notice.kind == HandoffKind.COURT_LIAISON_NOTICE and notice.consent_confirmed
    page = client.get(f"/sso-reports/requests/{request.pk}/")
    assert b"The court liaison has the notice." in page.content


def test_a_handoff_not_offered_is_refused(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch, disposition="resolved_on_scene")
    client = _officer(dispatch)
    page = client.get(f"/sso-reports/requests/{request.pk}/")
    assert b"handoff-" not in page.content
    response = client.post(f"/sso-reports/requests/{request.pk}/handoffs/gun_violence_referral/")
    assert response.status_code == 302 and not Handoff.objects.exists()
    assert client.post(f"/sso-reports/requests/{request.pk}/handoffs/nonsense/").status_code == 404


def test_supervisors_see_the_counts(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch, disposition="referred", category="weapon")
    client = _officer(dispatch)
    for kind in ("support_referral", "gun_violence_referral"):
        client.post(f"/sso-reports/requests/{request.pk}/handoffs/{kind}/")
    chief = Client()
    chief.force_login(dispatch.chief)
    page = chief.get("/sso-reports/")
    assert page.status_code == 200
    rows = page.context["counts"]
    assert dict(rows) == {
        HandoffKind.SUPPORT_REFERRAL.label: 1,
        HandoffKind.COURT_LIAISON_NOTICE.label: 0,
        HandoffKind.GUN_VIOLENCE_REFERRAL.label: 1,
    }


def test_a_weapon_offers_the_gun_violence_service(dispatch: DispatchScenario) -> None:
    make_service("Family Counseling Center", category="family_counseling")
    trauma = make_service("District Trauma Response Team", category="gun_violence_mhp")
    request = cleared(dispatch, disposition="arrest", category="weapon")
    client = _officer(dispatch)
    page = client.get(f"/sso-reports/requests/{request.pk}/")
    assert b'id="handoff-gun_violence_referral"' in page.content
    assert b'id="handoff-court_liaison_notice"' in page.content
    response = client.post(f"/sso-reports/requests/{request.pk}/handoffs/gun_violence_referral/")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query == {"school": [str(request.school_id)], "service": [str(trauma.pk)]}
    form = client.get(response["Location"])
    assert f'<option value="{trauma.pk}" selected>'.encode() in form.content
    assert Handoff.objects.get().kind == HandoffKind.GUN_VIOLENCE_REFERRAL
