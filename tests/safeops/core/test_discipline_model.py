"""The discipline guard's model (decision 0023): its weights are rebuilt by the committed
command, it never refuses a neutral note or a text with a safety sign, and a refusal it makes
alone says so."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from safeops.core import discipline_learn as learn
from safeops.core.discipline import DisciplineRefusal, discipline_check
from safeops.core.discipline_model import WEIGHTS, score_normal
from safeops.core.discipline_rules import (
    MODEL_TOPIC,
    REFUSE_ALONE,
    _normal,
    combine,
    discipline_sign,
    safety_sign,
    verdict,
)

HERE = Path(__file__).parent
NEUTRAL = HERE / "discipline_neutral.csv"


def test_retraining_gives_the_committed_weights() -> None:
    """`tools/discipline_model.py train` wrote the committed file from the labelled files; the
    training is deterministic (L-BFGS from zero, weights rounded), so it gives it again. A
    labelled file changed without retraining fails here."""
    examples = learn.read_examples(learn.training_files(HERE))
    assert learn.dumps(learn.train(examples)) == WEIGHTS.read_text(encoding="utf-8")


def test_the_neutral_notes_are_never_refused() -> None:
    with NEUTRAL.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 200
    assert {row["label"] for row in rows} == {"neutral"}
    refused = [row["text"] for row in rows if verdict(row["text"]).refused]
    # The rules alone refuse 15 of them (decision 0023 lists them); the model adds none.
    by_rules = [
        row["text"]
        for row in rows
        if discipline_sign(row["text"]) is not None and safety_sign(row["text"]) is None
    ]
    assert refused == by_rules
    assert len(refused) <= 15


@pytest.mark.parametrize(
    ("discipline", "safety", "score", "refused"),
    [
        (True, False, None, True),
        (True, False, 0.0, True),  # the model never lets a rule's refusal through
        (True, True, 1.0, False),  # a safety sign always wins
        (False, True, 1.0, False),
        (False, False, REFUSE_ALONE, True),
        (False, False, REFUSE_ALONE - 0.01, False),
        (False, False, None, False),
    ],
)
def test_how_the_rules_and_the_model_combine(
    *, discipline: bool, safety: bool, score: float | None, refused: bool
) -> None:
    assert (
        combine(discipline=discipline, safety=safety, score=score, refuse_alone=REFUSE_ALONE)
        is refused
    )


def test_a_refusal_made_by_the_model_alone_says_so() -> None:
    text = "she keeps painting her nails during the lesson"
    assert discipline_sign(text) is None and safety_sign(text) is None
    assert score_normal(_normal(text)) >= REFUSE_ALONE
    found = verdict(text)
    assert found.refused and found.discipline is not None
    assert found.discipline.topic == MODEL_TOPIC
    # the words that weighed most, not the text
    assert found.discipline.words and found.discipline.words != _normal(text)
    assert set(found.discipline.words.split(", ")) <= set(_normal(text).split())
    with pytest.raises(DisciplineRefusal) as refusal:
        discipline_check(category="", text=text)
    assert refusal.value.topic == MODEL_TOPIC and refusal.value.overridable


@pytest.mark.parametrize(
    "text",
    [
        "Test taxonomy",
        "Which class",
        "3rd period",
        "bell times",
        "Two students arguing at the bus loop",
        "Talked it through",
        "Keep this under 5000 characters (it has 5001).",
    ],
)
def test_short_or_foreign_texts_stay_below_the_threshold(text: str) -> None:
    """A few known features cannot make the model sure (`discipline_model.SHORT`): these
    strings of the callers' tests scored 0.82-0.96 before that scaling."""
    assert not verdict(text).refused
