"""Two linear models that read a request text as the labelled files do: how sure each is that the
text is a student-discipline matter (`score_normal`, against safety texts and neutral notes) or
a safety matter (`safety_score_normal`, against discipline texts), a score from 0 to 1.

The discipline guard (`discipline_rules.verdict`) combines them with the rules: the rules'
safety signs always win; the discipline model may refuse a text no rule reads when it is sure it
is discipline and the text names whom it is about; the safety model lets through a text a
discipline rule reads when it is sure the text is a safety matter (decision 0023). Features are
the words, pairs of words and 3-5 letter pieces of words of the text as the rules read it
(`_normal`: lower case, slang and known misspellings written out; no spelling guesses), words
after a negation marked as such. The weights are data (`discipline_model.json`,
`discipline_safety_model.json`), trained by `tools/discipline_model.py train` from the labelled
files in tests/safeops/core/ (`safeops.core.discipline_learn`); scoring needs no NumPy.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from pathlib import Path

WEIGHTS = Path(__file__).with_name("discipline_model.json")
SAFETY_WEIGHTS = Path(__file__).with_name("discipline_safety_model.json")
_WORD = re.compile(r"\w+")
# A word up to NEGATED words after one of these is read as negated ("no one is hurt": "not_one",
# "not_is", "not_hurt"), without its letter pieces, so "hurt" weighs for safety and "not_hurt"
# as the labelled texts that say it weigh.
_NEGATORS = frozenset({"no", "not", "nobody", "never", "without", "nothing", "none", "nadie"})
NEGATED = 3


def _marked(normal: str) -> list[str]:
    words: list[str] = []
    left = 0
    for word in _WORD.findall(normal.replace("n't", " not")):
        if word in _NEGATORS:
            left = NEGATED
            words.append(word)
        elif left:
            left -= 1
            words.append(f"not_{word}")
        else:
            words.append(word)
    return words


def features(normal: str) -> set[str]:
    """The features of a text already normalised (`discipline_rules._normal`)."""
    words = _marked(normal)
    found = {f"w {word}" for word in words}
    found.update(f"b {first} {second}" for first, second in itertools.pairwise(words))
    for word in words:
        if not word.startswith("not_"):
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


def safety_score_normal(
    normal: str, weights: tuple[float, dict[str, float]] | None = None
) -> float:
    """How sure the safety model is (0..1) that a normalised text is a safety matter rather than
    a discipline one."""
    return score_normal(normal, weights if weights is not None else _weights(SAFETY_WEIGHTS))


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
