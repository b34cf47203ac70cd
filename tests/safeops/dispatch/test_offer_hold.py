"""Two calls at once near one officer: the second is offered another officer first (the first
is held for the first call a few seconds), so a dispatcher taking each top recommendation is not
refused. Officer A sits at high A, officer B about 11 km east (conftest)."""

from __future__ import annotations

import pytest
from django.test import Client

from safeops.dispatch import holds, recommend
from safeops.dispatch.services import request_assign, request_candidates
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _first(candidates: list[recommend.Candidate]) -> int:
    return candidates[0].officer_id


def test_a_second_call_is_offered_the_next_officer_first(dispatch: DispatchScenario) -> None:
    a, b = dispatch.officer_a.pk, dispatch.officer_b.pk
    first = dispatch.file(summary="Fight by the gym")
    second = dispatch.file(summary="Fight in the cafeteria")
    # Both calls are at school A, nearest to officer A.
    assert [c.officer_id for c in request_candidates(request=first)] == [a, b]
    ranked = request_candidates(request=second)
    assert [(c.officer_id, c.held) for c in ranked] == [(b, False), (a, True)]
    # Each top recommendation is taken: neither assignment is refused.
    request_assign(request_id=first.pk, officer_id=a, actor=dispatch.dispatcher)
    request_assign(request_id=second.pk, officer_id=b, actor=dispatch.dispatcher)


def test_the_hold_ends_after_a_few_seconds(
    dispatch: DispatchScenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    dispatch.file(summary="Fight by the gym")
    second = dispatch.file(summary="Fight in the cafeteria")
    assert _first(request_candidates(request=second)) == dispatch.officer_b.pk
    now = holds.time.monotonic()
    monkeypatch.setattr(holds.time, "monotonic", lambda: now + holds.OFFER_SECONDS + 0.1)
    assert _first(request_candidates(request=second)) == dispatch.officer_a.pk


def test_a_held_officer_is_still_offered_when_nobody_else_is_free(
    dispatch: DispatchScenario,
) -> None:
    third = dispatch.file(summary="Someone tried the locked doors")
    request_assign(request_id=third.pk, officer_id=dispatch.officer_b.pk, actor=dispatch.dispatcher)
    recommend.forget_officers()  # the snapshot is patched on commit; this test never commits
    dispatch.file(summary="Fight by the gym")  # holds officer A
    second = dispatch.file(summary="Fight in the cafeteria")
    assert [c.officer_id for c in request_candidates(request=second)] == [dispatch.officer_a.pk]


def test_the_board_and_the_api_say_an_officer_is_held(dispatch: DispatchScenario) -> None:
    first = dispatch.file(summary="Fight by the gym")
    client = Client()
    client.force_login(dispatch.dispatcher)  # type: ignore[arg-type]
    created = client.post(
        "/api/requests",
        {"school_id": dispatch.s.school_a.pk, "category": "weapon", "summary": "Knife seen"},
        content_type="application/json",
    ).json()
    assert [(c["officer_id"], c["held"]) for c in created["recommended"]] == [
        (dispatch.officer_b.pk, False),
        (dispatch.officer_a.pk, True),
    ]
    page = client.get(f"/dispatch/requests/{created['id']}/").content.decode()
    assert "offered to another call" in page
    # And the first call's own list: officer A first, B held for the second call.
    ranked = request_candidates(request=first)
    assert [(c.officer_id, c.held) for c in ranked] == [
        (dispatch.officer_a.pk, False),
        (dispatch.officer_b.pk, True),
    ]
