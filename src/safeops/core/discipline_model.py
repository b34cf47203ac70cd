"""A linear model that reads a request text as the labelled files do: how sure it is that the
text is a student-discipline matter (a score from 0 to 1).

The discipline guard (`discipline_rules.verdict`) combines it with the rules: the rules' safety
signs always win; the model never lets through a text the rules refuse, and may refuse a text no
rule reads when it is very sure it is discipline and the text names whom it is about (decision
0023). Features are the words, pairs of words and
3-5 letter pieces of words of the text as the rules read it (`_normal`: lower case, slang and
known misspellings written out; no spelling guesses). The weights are data
(`discipline_model.json`), trained by `tools/discipline_model.py train` from the labelled files
in tests/safeops/core/ (`safeops.core.discipline_learn`); scoring needs no NumPy.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from pathlib import Path

WEIGHTS = Path(__file__).with_name("discipline_model.json")
_WORD = re.compile(r"\w+")


def features(normal: str) -> set[str]:
    """The features of a text already normalised (`discipline_rules._normal`)."""
    words = _WORD.findall(normal)
    found = {f"w {word}" for word in words}
    found.update(f"b {first} {second}" for first, second in itertools.pairwise(words))
    for word in words:
        found |= _pieces(word)
    return found


# A text with few known features ("Test taxonomy", "Which class") is scaled as if it had this
# many, so a handful of features cannot make the model sure: short and foreign texts score near
# the bias (not discipline).
SHORT = 80


def scale(known: int) -> float:
    """The value of each present feature in a text with `known` features of the vocabulary."""
    return 1.0 / math.sqrt(max(known, SHORT))


@functools.cache
def _weights(path: Path = WEIGHTS) -> tuple[float, dict[str, float]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return float(data["bias"]), {key: float(value) for key, value in data["weights"].items()}


def score_normal(normal: str, weights: tuple[float, dict[str, float]] | None = None) -> float:
    """How sure the model is (0..1) that a normalised text is a discipline matter."""
    bias, table = weights if weights is not None else _weights()
    # Trained on presence vectors scaled as `discipline_learn.matrix` does (every feature of the
    # vocabulary is kept in the file, so the count is the same).
    known = [table[feature] for feature in features(normal) if feature in table]
    total = bias + sum(known) * scale(len(known))
    return 1.0 / (1.0 + math.exp(-total))


def _pieces(word: str) -> set[str]:
    padded = f" {word} "
    return {
        f"c {padded[start : start + size]}"
        for size in (3, 4, 5)
        for start in range(len(padded) - size + 1)
    }


def top_words(normal: str, count: int = 3) -> str:
    """The words of a normalised text that weigh most towards discipline (the word and its
    letter pieces), explaining a refusal the model made alone without repeating the text."""
    _, table = _weights()
    weight = {
        word: table.get(f"w {word}", 0.0) + sum(table.get(piece, 0.0) for piece in _pieces(word))
        for word in set(_WORD.findall(normal))
    }
    ranked = sorted(weight, key=lambda word: (-weight[word], word))
    return ", ".join(word for word in ranked[:count] if weight[word] > 0)
