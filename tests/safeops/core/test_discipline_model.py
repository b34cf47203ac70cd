"""The discipline guard's two models (decision 0023): their weights are rebuilt by the committed
command, they never refuse a neutral note or a text with a safety sign, a refusal the discipline
model makes alone says so, and the safety model lets through danger the rules would refuse."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from safeops.core import discipline_learn as learn
from safeops.core.discipline import DisciplineRefusal, discipline_check
from safeops.core.discipline_model import (
    SAFETY_WEIGHTS,
    WEIGHTS,
    features,
    safety_score_normal,
    score_normal,
)
from safeops.core.discipline_rules import (
    LET_THROUGH,
    MODEL_TOPIC,
    REFUSE_ALONE,
    _normal,
    combine,
    discipline_sign,
    rules_verdict,
    safety_sign,
)

HERE = Path(__file__).parent
NEUTRAL = HERE / "discipline_neutral.csv"


@pytest.mark.parametrize(
    ("path", "train"), [(WEIGHTS, learn.train), (SAFETY_WEIGHTS, learn.train_safety)]
)
def test_retraining_gives_the_committed_weights(path: Path, train: Any) -> None:
    """`tools/discipline_model.py train` wrote the committed files from the labelled files; the
    training is deterministic (L-BFGS from zero, weights rounded to 4 decimals), so it gives
    them again, up to a last digit that another processor's arithmetic may round the other way.
    A labelled file changed without retraining fails here."""
    examples = learn.read_examples(learn.training_files(HERE))
    bias, weights = train(examples)
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert set(weights) == set(committed["weights"])
    assert abs(bias - committed["bias"]) <= 5e-4
    assert max(abs(w - committed["weights"][name]) for name, w in weights.items()) <= 5e-4


def test_the_neutral_notes_are_never_refused() -> None:
    with NEUTRAL.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 200
    assert {row["label"] for row in rows} == {"neutral"}
    refused = [row["text"] for row in rows if rules_verdict(row["text"]).refused]
    # The rules alone refuse 15 of them (decision 0023 lists them); the models change none.
    by_rules = [
        row["text"]
        for row in rows
        if discipline_sign(row["text"]) is not None and safety_sign(row["text"]) is None
    ]
    assert refused == by_rules
    assert len(refused) <= 15


@pytest.mark.parametrize(
    ("discipline", "safety", "score", "danger", "refused"),
    [
        (True, False, None, None, True),
        (True, False, None, LET_THROUGH - 0.01, True),
        (True, False, None, LET_THROUGH, False),  # the safety model lets a rule's refusal through
        (True, False, 0.0, 0.0, True),  # the discipline model never does
        (True, True, 1.0, 0.0, False),  # a safety sign always wins
        (False, True, 1.0, None, False),
        (False, False, REFUSE_ALONE, None, True),
        (False, False, REFUSE_ALONE - 0.01, None, False),
        (False, False, None, None, False),
    ],
)
def test_how_the_rules_and_the_models_combine(
    *, discipline: bool, safety: bool, score: float | None, danger: float | None, refused: bool
) -> None:
    assert (
        combine(
            discipline=discipline,
            safety=safety,
            score=score,
            danger=danger,
            refuse_alone=REFUSE_ALONE,
            let_through=LET_THROUGH,
        )
        is refused
    )


@pytest.mark.parametrize(
    "text",
    [
        "girl skipping 4th says an older guy from the gas station keeps messaging her to meet him",
        "kid with the phone in class was showing a picture of a man outside his window every night",
        "student caught vaping says he buys them from a man who makes him deliver packages",
        "the kid who won't take off his hoodie has cuts all up his arms",
    ],
)
def test_the_safety_model_lets_through_danger_the_rules_would_refuse(text: str) -> None:
    """A discipline word and a danger told in words no safety rule reads (written for this
    test, not taken from a labelled file): the rules alone refuse each, the guard does not."""
    assert discipline_sign(text) is not None and safety_sign(text) is None
    assert safety_score_normal(_normal(text)) >= LET_THROUGH
    assert not rules_verdict(text).refused
    discipline_check(category="", text=text)  # not refused


def test_words_after_a_negation_are_read_as_negated() -> None:
    """Three words after "no", "not", "n't"…: their own features, without letter pieces, so a
    negated "hurt" does not weigh as "hurt" does."""
    negated = features(_normal("kid vaping, no one is hurt"))
    assert {"w not_one", "w not_is", "w not_hurt", "b not_is not_hurt"} <= negated
    assert "w hurt" not in negated and "c hurt" not in negated
    assert "w not_hurt" in features(_normal("he isn't hurt"))
    plain = features(_normal("kid vaping, one is hurt"))
    assert "w hurt" in plain and "c hurt" in plain and "w not_hurt" not in plain


@pytest.mark.parametrize(
    "text",
    [
        "Needs detention and counselling",
        "He needs ISS for skipping",
        "kid vaping in the bathroom, no one is hurt",
        "Student skipped 3rd period, please find him",
    ],
)
def test_the_safety_model_does_not_let_plain_discipline_through(text: str) -> None:
    """Explicit discipline, short referral-style notes and a negated safety word ("no one is
    hurt": read as negated) stay refused."""
    assert safety_score_normal(_normal(text)) < LET_THROUGH
    assert rules_verdict(text).refused


def test_a_refusal_made_by_the_model_alone_says_so() -> None:
    text = "she keeps painting her nails during the lesson"
    assert discipline_sign(text) is None and safety_sign(text) is None
    assert score_normal(_normal(text)) >= REFUSE_ALONE
    found = rules_verdict(text)
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
        "Talked it through",
        "Keep this under 5000 characters (it has 5001).",
    ],
)
def test_short_or_foreign_texts_stay_below_the_threshold(text: str) -> None:
    """A few known features cannot make the model sure (`discipline_model.SHORT`): these
    strings of the callers' tests scored 0.82-0.96 before that scaling. ("Two students arguing
    at the bus loop" left this list when round 9 taught the model that an argument with no
    threat is a discipline matter, as the labelled files say: it is refused, overridable.)"""
    assert not rules_verdict(text).refused


def test_the_committed_let_through_is_the_one_the_validation_set_chooses() -> None:
    """Decision 0023 (2026-12-05): `LET_THROUGH` is chosen on the blind validation set by
    `tools/discipline_model.py validate` (counts only); a retrain or a rule change that moves
    the choice must move the constant too."""
    tool = Path(__file__).resolve().parents[3] / "tools" / "discipline_model.py"
    out = subprocess.run(
        [sys.executable, str(tool), "validate"], capture_output=True, text=True, check=True
    ).stdout
    chosen = out.strip().splitlines()[-1]
    assert chosen.startswith(f"chosen: {LET_THROUGH} (committed: {LET_THROUGH};"), out
