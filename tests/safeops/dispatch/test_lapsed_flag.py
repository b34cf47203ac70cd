"""The lapsed-SRO flag (training) shows wherever dispatch lists officers (issue 7, acceptance 2).

Hand-computed: officer A's POPS certification expired yesterday, so A is flagged with
"POPS certification expired <yesterday>"; officer B holds a POPS certification to 2100 and
40 h of state in-service in the previous training year (July–June), so B is not flagged.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from safeops.dispatch.choices import LapsedPolicy
from safeops.dispatch.models import DispatchSettings
from safeops.dispatch.services import request_candidates
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.training.helpers import done, firearm, pops, seed

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


@pytest.fixture(autouse=True)
def _lapsed_allowed(dispatch: DispatchScenario) -> None:
    """The flag is shown under "allow with a reason" (under "exclude" the officer is not
    offered at all: test_lapsed_policy.py)."""
    DispatchSettings.objects.create(
        district=dispatch.s.district, lapsed_policy=LapsedPolicy.ALLOW_WITH_REASON
    )


def _previous_training_year_day(today: dt.date) -> dt.date:
    start_year = today.year - 1 if today.month >= 7 else today.year - 2
    return dt.date(start_year, 10, 1)


def test_a_lapsed_officer_is_flagged_in_recommendations_board_and_api(
    dispatch: DispatchScenario,
) -> None:
    today = timezone.localdate()
    seed(dispatch.s.district, from_year=today.year - 3)
    for officer in (dispatch.officer_a, dispatch.officer_b):
        done(officer, "pops-in-service", 40, _previous_training_year_day(today))
    yesterday = today - dt.timedelta(days=1)
    pops(dispatch.officer_a, yesterday)
    pops(dispatch.officer_b, dt.date(2100, 1, 1))
    for officer in (dispatch.officer_a, dispatch.officer_b):
        firearm(officer, dt.date(2100, 1, 1))
    expected = f"POPS certification expired {yesterday.isoformat()}"

    request = dispatch.file()
    flags = {c.officer_id: c.lapsed for c in request_candidates(request=request)}
    assert flags == {dispatch.officer_a.pk: expected, dispatch.officer_b.pk: ""}

    client = Client()
    client.force_login(dispatch.dispatcher)  # type: ignore[arg-type]
    board = client.get("/dispatch/board/state.json").json()
    assert {o["id"]: o["lapsed"] for o in board["officers"]} == {
        dispatch.officer_a.pk: expected,
        dispatch.officer_b.pk: "",
    }
    listed = client.get("/api/officers").json()
    assert {o["id"]: o["lapsed"] for o in listed} == {
        dispatch.officer_a.pk: expected,
        dispatch.officer_b.pk: "",
    }
    created = client.post(
        "/api/requests",
        {"school_id": dispatch.s.school_a.pk, "category": "weapon", "summary": "Knife seen"},
        content_type="application/json",
    ).json()
    assert {c["officer_id"]: c["lapsed"] for c in created["recommended"]}[
        dispatch.officer_a.pk
    ] == expected
    page = client.get(f"/dispatch/requests/{request.pk}/").content.decode()
    assert "SRO training lapsed" in page


def test_renewing_the_certification_clears_the_flag_at_once(dispatch: DispatchScenario) -> None:
    today = timezone.localdate()
    seed(dispatch.s.district, from_year=today.year - 3)
    done(dispatch.officer_a, "pops-in-service", 40, _previous_training_year_day(today))
    pops(dispatch.officer_a, today - dt.timedelta(days=1))
    firearm(dispatch.officer_a, today + dt.timedelta(days=365))
    request = dispatch.file()
    flagged = {c.officer_id: c.lapsed for c in request_candidates(request=request)}
    assert flagged[dispatch.officer_a.pk].startswith("POPS certification expired")
    pops(dispatch.officer_a, today + dt.timedelta(days=365))
    ranked = {c.officer_id: c.lapsed for c in request_candidates(request=request)}
    assert ranked[dispatch.officer_a.pk] == ""


def test_an_expired_firearm_qualification_lapses_the_officer(dispatch: DispatchScenario) -> None:
    """Firearm qualification is a certification of the ledger: expired yesterday, the officer
    is flagged beside POPS; requalifying clears the flag."""
    today = timezone.localdate()
    seed(dispatch.s.district, from_year=today.year - 3)
    done(dispatch.officer_a, "pops-in-service", 40, _previous_training_year_day(today))
    pops(dispatch.officer_a, today + dt.timedelta(days=365))
    yesterday = today - dt.timedelta(days=1)
    firearm(dispatch.officer_a, yesterday)
    request = dispatch.file()
    flags = {c.officer_id: c.lapsed for c in request_candidates(request=request)}
    assert flags[dispatch.officer_a.pk] == (
        f"Firearm qualification certification expired {yesterday.isoformat()}"
    )
    firearm(dispatch.officer_a, today + dt.timedelta(days=180))
    flags = {c.officer_id: c.lapsed for c in request_candidates(request=request)}
    assert flags[dispatch.officer_a.pk] == ""
