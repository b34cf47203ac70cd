"""An officer whose SRO standing lapsed is never the silent first choice (Kentucky requires a
certified SRO). The district chooses: "exclude" (the default: never offered nor assignable) or
"allow with a reason" (ranked after every officer in good standing; assigning needs a reason,
which the timeline, the audit log and the page show).

Officer A is the nearest to the request (school A) and lapsed (POPS expired yesterday);
officer B holds POPS to 2100 and the in-service hours; both hold a firearm qualification.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from safeops.core.models import AuditEntry
from safeops.dispatch.choices import LapsedPolicy
from safeops.dispatch.exceptions import DispatchConflict
from safeops.dispatch.models import DispatchSettings, StatusEvent, SupportRequest
from safeops.dispatch.services import request_assign, request_candidates
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.training.helpers import done, firearm, pops, seed

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


@pytest.fixture
def lapsed_a(dispatch: DispatchScenario) -> str:
    today = timezone.localdate()
    seed(dispatch.s.district, from_year=today.year - 3)
    start_year = today.year - 1 if today.month >= 7 else today.year - 2
    for officer in (dispatch.officer_a, dispatch.officer_b):
        done(officer, "pops-in-service", 40, dt.date(start_year, 10, 1))
    yesterday = today - dt.timedelta(days=1)
    pops(dispatch.officer_a, yesterday)
    pops(dispatch.officer_b, dt.date(2100, 1, 1))
    for officer in (dispatch.officer_a, dispatch.officer_b):
        firearm(officer, dt.date(2100, 1, 1))  # only POPS makes officer A lapse
    return f"POPS certification expired {yesterday.isoformat()}"


def _policy(dispatch: DispatchScenario, policy: LapsedPolicy) -> None:
    DispatchSettings.objects.update_or_create(
        district=dispatch.s.district, defaults={"lapsed_policy": policy}
    )


def test_by_default_a_lapsed_officer_is_not_offered_nor_assignable(
    dispatch: DispatchScenario, lapsed_a: str
) -> None:
    request = dispatch.file()
    assert [c.officer_id for c in request_candidates(request=request)] == [dispatch.officer_b.pk]
    with pytest.raises(DispatchConflict, match="SRO standing has lapsed") as refused:
        request_assign(
            request_id=request.pk,
            officer_id=dispatch.officer_a.pk,
            actor=dispatch.dispatcher,
            override_reason="closest",
        )
    assert refused.value.field == "officer_id"
    assert SupportRequest.objects.get(pk=request.pk).officer_id is None


def test_allowed_with_a_reason_the_lapsed_officer_is_ranked_last_and_needs_the_reason(
    dispatch: DispatchScenario, lapsed_a: str
) -> None:
    _policy(dispatch, LapsedPolicy.ALLOW_WITH_REASON)
    request = dispatch.file()
    ranked = request_candidates(request=request)
    # A is nearer (and in the request's zone) but lapsed: B first, A flagged and last.
    assert [(c.officer_id, c.lapsed) for c in ranked] == [
        (dispatch.officer_b.pk, ""),
        (dispatch.officer_a.pk, lapsed_a),
    ]
    assert ranked[1].eta_minutes < ranked[0].eta_minutes
    with pytest.raises(Exception, match="give the reason for sending them anyway"):
        request_assign(
            request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
        )
    result = request_assign(
        request_id=request.pk,
        officer_id=dispatch.officer_a.pk,
        actor=dispatch.dispatcher,
        override_reason="Only officer inside the lockdown perimeter",
    )
    assert result.request.officer_id == dispatch.officer_a.pk
    event = StatusEvent.objects.get(pk=result.event.pk)
    assert event.override_reason == "Only officer inside the lockdown perimeter"
    entry = AuditEntry.objects.filter(note__contains="lapsed officer").get()
    assert lapsed_a in entry.note and "lockdown perimeter" in entry.note


def test_the_page_asks_the_reason_before_assigning_a_lapsed_officer(
    dispatch: DispatchScenario, lapsed_a: str
) -> None:
    _policy(dispatch, LapsedPolicy.ALLOW_WITH_REASON)
    request = dispatch.file()
    client = Client()
    client.force_login(dispatch.dispatcher)
    page = client.get(f"/dispatch/requests/{request.pk}/").content.decode()
    assert (
        "Override and assign A" in page
        or f"Override and assign {dispatch.officer_a.full_name}" in page
    )
    assert 'name="override_reason"' in page and "required" in page
    refused = client.post(
        f"/dispatch/requests/{request.pk}/assign/",
        {"officer_id": dispatch.officer_a.pk},
        follow=True,
    )
    assert "give the reason for sending them anyway" in refused.content.decode()
    assert SupportRequest.objects.get(pk=request.pk).officer_id is None
    client.post(
        f"/dispatch/requests/{request.pk}/assign/",
        {"officer_id": dispatch.officer_a.pk, "override_reason": "Closest by far"},
    )
    assert SupportRequest.objects.get(pk=request.pk).officer_id == dispatch.officer_a.pk
    api = client.get(f"/api/requests/{request.pk}").json()
    [assigned] = [e for e in api["timeline"] if e["to_status"] == "assigned"]
    assert assigned["override_reason"] == "Closest by far"
    shown = client.get(f"/dispatch/requests/{request.pk}/").content.decode()
    assert "Lapsed officer sent; reason: Closest by far" in shown
