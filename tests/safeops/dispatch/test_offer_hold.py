"""Two calls at once near one officer: the second is offered another officer first (the first
is held for the first call a few seconds), so a dispatcher taking each top recommendation is not
refused. Officer A sits at high A, officer B about 11 km east (conftest)."""

from __future__ import annotations

import pytest

from safeops.dispatch import recommend
from safeops.dispatch.services import request_assign, request_candidates
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = pytest.mark.django_db


def _first(candidates: list[recommend.Candidate]) -> int:
    return candidates[0].officer_id


def test_a_second_call_is_offered_the_next_officer_first(dispatch: DispatchScenario) -> None:
    a, b = dispatch.officer_a.pk, dispatch.officer_b.pk
    first = dispatch.file(summary="Fight by the gym")
    second = dispatch.file(summary="Fight in the cafeteria")
    # Both calls are at school A, nearest to officer A.
    assert [c.officer_id for c in request_candidates(request=first)] == [a, b]
    assert [c.officer_id for c in request_candidates(request=second)] == [b, a]
    # Each top recommendation is taken: neither assignment is refused.
    request_assign(request_id=first.pk, officer_id=a, actor=dispatch.dispatcher)
    request_assign(request_id=second.pk, officer_id=b, actor=dispatch.dispatcher)


def test_the_hold_ends_after_a_few_seconds(
    dispatch: DispatchScenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    dispatch.file(summary="Fight by the gym")
    second = dispatch.file(summary="Fight in the cafeteria")
    assert _first(request_candidates(request=second)) == dispatch.officer_b.pk
    now = recommend.time.monotonic()
    monkeypatch.setattr(recommend.time, "monotonic", lambda: now + recommend.OFFER_SECONDS + 0.1)
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
