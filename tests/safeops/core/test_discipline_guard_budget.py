"""The encoder's budget: in a surge the guard decides by its rules and linear models."""

from __future__ import annotations

import pytest
from django.test import override_settings
from prometheus_client import REGISTRY

from safeops.core import discipline
from safeops.core.discipline import DisciplineRefusal, EncoderBudget, discipline_check
from safeops.core.discipline_rules import rules_verdict, verdict

READINGS = "safeops_discipline_guard_readings_total"


def _readings(reader: str) -> float:
    return REGISTRY.get_sample_value(READINGS, {"reader": reader}) or 0.0


# The encoder reads this discipline matter as discipline; the rules and linear models do not.
SPLIT = "student kept turning the lights off and on in my room"


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock()
    monkeypatch.setattr(discipline.time, "monotonic", fake)
    return fake


def test_a_budget_allows_a_burst_of_twice_its_rate_then_refills(clock: _Clock) -> None:
    budget = EncoderBudget()
    assert [budget.take(5.0) for _ in range(11)] == [True] * 10 + [False]
    clock.now += 0.1  # half a reading
    assert not budget.take(5.0)
    clock.now += 0.1  # one reading
    assert budget.take(5.0)
    assert not budget.take(5.0)
    clock.now += 60  # never more than the burst
    assert sum(budget.take(5.0) for _ in range(30)) == 10


def test_no_budget_never_reads_and_an_infinite_one_always_does(clock: _Clock) -> None:
    budget = EncoderBudget()
    assert not any(budget.take(0.0) for _ in range(5))
    assert all(budget.take(float("inf")) for _ in range(500))


def test_the_text_used_here_splits_the_two_readers() -> None:
    assert verdict(SPLIT).refused
    assert not rules_verdict(SPLIT).refused
    assert verdict(SPLIT, encoder=False) == rules_verdict(SPLIT)


def test_the_guard_reads_with_the_encoder_within_its_budget() -> None:
    before = _readings("encoder")
    with pytest.raises(DisciplineRefusal):
        discipline_check(category="", text=SPLIT)
    assert _readings("encoder") == before + 1


@override_settings(DISCIPLINE_ENCODER_PER_SECOND=0)
def test_past_its_budget_the_guard_decides_by_the_rules_and_counts_it() -> None:
    before = _readings("rules")
    discipline_check(category="", text=SPLIT)  # let through, as the rules read it
    with pytest.raises(DisciplineRefusal):
        discipline_check(category="", text="kid vaping in the bathroom")
    assert _readings("rules") == before + 2
