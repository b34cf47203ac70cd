"""The discipline guard's model: train it, cross-validate the guard, measure it on a new file.

    .venv/bin/python tools/discipline_model.py train   # writes the two core/discipline_*model.json
    .venv/bin/python tools/discipline_model.py cv      # leave-one-file-out table (rules / guard)
    .venv/bin/python tools/discipline_model.py score FILE.csv   # the rules and the guard on FILE
    .venv/bin/python tools/discipline_model.py validate  # the let-through threshold on holdout5

Labelled files: tests/safeops/core/discipline_*.csv (`text,label,note`, label discipline, safety
or neutral). `cv` holds out one labelled file at a time (with a share of the neutral notes),
trains the model on the rest, chooses the two thresholds by an inner leave-one-file-out on the
rest only (nested: the held-out file never chooses anything), and scores the held-out file with
the rules alone and with the guard (rules + model). The rules are fixed: they were tuned on most
of these files (not on the blind holdout3), so their figures there are optimistic; the model's
are not. `score` uses the committed model and thresholds, as the service does.

`validate` chooses the let-through threshold on the blind validation set (`VALIDATION`, never
read or trained on) by the same cost, printing counts only: the rules were written from the
training files, so the out-of-fold safety refusals there understate unseen text's, and `cv`'s
choice of that threshold with them. The refuse-alone threshold stays `cv`'s.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safeops.core import discipline_learn as learn  # noqa: E402
from safeops.core.discipline_model import (  # noqa: E402
    SAFETY_WEIGHTS,
    WEIGHTS,
    safety_score_normal,
    score_normal,
)
from safeops.core.discipline_rules import (  # noqa: E402
    LET_THROUGH,
    REFUSE_ALONE,
    _normal,
    combine,
    discipline_sign,
    names_a_subject,
    safety_sign,
    verdict,
)

CORPUS = ROOT / "tests" / "safeops" / "core"
NEUTRAL = "discipline_neutral.csv"
# The thresholds are chosen from these (inner cross-validation); 1.01 for both is the rules
# alone (the discipline model never refuses alone, the safety model never lets through).
REFUSE_ALONE_GRID = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01)
LET_THROUGH_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
# What a refused safety text and a refused neutral note cost, in discipline texts let through
# (the choice's objective).
SAFETY_COST = 5
NEUTRAL_COST = 2


def _labelled() -> list[learn.Example]:
    return learn.read_examples(learn.training_files(CORPUS))


def _folds(examples: Sequence[learn.Example]) -> dict[str, list[int]]:
    """Each labelled file is a fold; the neutral notes are dealt round-robin to the folds."""
    names = sorted({e.source for e in examples if e.source != NEUTRAL})
    folds: dict[str, list[int]] = {name: [] for name in names}
    dealt = 0
    for i, e in enumerate(examples):
        if e.source == NEUTRAL:
            folds[names[dealt % len(names)]].append(i)
            dealt += 1
        else:
            folds[e.source].append(i)
    return folds


class _Rules:
    """The rules' two signs of each text, computed once."""

    def __init__(self, examples: Sequence[learn.Example]) -> None:
        self.discipline = [discipline_sign(e.text) is not None for e in examples]
        self.safety = [safety_sign(e.text) is not None for e in examples]
        self.subject = [names_a_subject(e.text) for e in examples]


Scores = dict[int, tuple[float, float]]  # text index -> (discipline score, safety score)


def _scores(examples: Sequence[learn.Example], train: list[int], test: list[int]) -> Scores:
    taught = [examples[i] for i in train]
    discipline, safety = learn.train(taught), learn.train_safety(taught)
    return {
        i: (
            score_normal(_normal(examples[i].text), discipline),
            safety_score_normal(_normal(examples[i].text), safety),
        )
        for i in test
    }


def _refused(rules: _Rules, i: int, scores: tuple[float, float], alone: float, let: float) -> bool:
    """As `verdict` decides: the discipline model speaks on a text that names someone, the
    safety model on a text a discipline rule reads."""
    return combine(
        discipline=rules.discipline[i],
        safety=rules.safety[i],
        score=scores[0] if rules.subject[i] else None,
        danger=scores[1],
        refuse_alone=alone,
        let_through=let,
    )


def _rates(
    examples: Sequence[learn.Example], refused: dict[int, bool]
) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for label in ("discipline", "safety", "neutral"):
        idx = [i for i in refused if examples[i].label == label]
        out[label] = (sum(refused[i] for i in idx), len(idx))
    return out


def _choose(
    examples: Sequence[learn.Example], rules: _Rules, scores: Scores
) -> tuple[float, float]:
    """The thresholds (refuse alone, let through) that refuse the most discipline texts less
    `SAFETY_COST` per refused safety text and `NEUTRAL_COST` per refused neutral note
    (out-of-fold scores)."""

    def cost(pair: tuple[float, float]) -> int:
        got = _rates(examples, {i: _refused(rules, i, s, *pair) for i, s in scores.items()})
        return (
            got["discipline"][0] - SAFETY_COST * got["safety"][0] - NEUTRAL_COST * got["neutral"][0]
        )

    # max keeps the first of equal pairs: the grids' order breaks ties, as before
    return max(((a, t) for a in REFUSE_ALONE_GRID for t in LET_THROUGH_GRID), key=cost)


def _out_of_fold(
    examples: Sequence[learn.Example], folds: dict[str, list[int]], names: list[str]
) -> Scores:
    scores: Scores = {}
    for name in names:
        train = [i for other in names if other != name for i in folds[other]]
        scores.update(_scores(examples, train, folds[name]))
    return scores


def _pct(pair: tuple[int, int]) -> str:
    return f"{pair[0] / pair[1]:6.1%} ({pair[0]}/{pair[1]})" if pair[1] else "—"


def cross_validate() -> None:
    examples = _labelled()
    rules = _Rules(examples)
    folds = _folds(examples)
    names = sorted(folds)
    print(f"{len(examples)} texts, {len(names)} files (neutral notes dealt to the folds)")
    print(
        f"{'held-out file':28} {'thresholds':>11} | {'rules: discipline':>19} {'safety':>13} "
        f"{'neutral':>11} | {'guard: discipline':>19} {'safety':>13} {'neutral':>11}"
    )
    all_rules: dict[int, bool] = {}
    all_guard: dict[int, bool] = {}
    for name in names:
        others = [n for n in names if n != name]
        inner = _out_of_fold(examples, folds, others)
        alone, let = _choose(examples, rules, inner)
        train = [i for n in others for i in folds[n]]
        held = _scores(examples, train, folds[name])
        by_rules = {i: rules.discipline[i] and not rules.safety[i] for i in held}
        by_guard = {i: _refused(rules, i, s, alone, let) for i, s in held.items()}
        all_rules |= by_rules
        all_guard |= by_guard
        r, g = _rates(examples, by_rules), _rates(examples, by_guard)
        print(
            f"{name:28} {alone:5.2f} {let:5.2f} | {_pct(r['discipline']):>19} "
            f"{_pct(r['safety']):>13} "
            f"{_pct(r['neutral']):>11} | {_pct(g['discipline']):>19} {_pct(g['safety']):>13} "
            f"{_pct(g['neutral']):>11}",
            flush=True,
        )
    r, g = _rates(examples, all_rules), _rates(examples, all_guard)
    print(
        f"{'all files':28} {'':11} | {_pct(r['discipline']):>19} {_pct(r['safety']):>13} "
        f"{_pct(r['neutral']):>11} | {_pct(g['discipline']):>19} {_pct(g['safety']):>13} "
        f"{_pct(g['neutral']):>11}"
    )
    final = _out_of_fold(examples, folds, names)
    alone, let = _choose(examples, rules, final)
    print(
        f"thresholds on every file's out-of-fold scores: refuse alone {alone}, let through "
        f"{let} (committed: {REFUSE_ALONE}, {LET_THROUGH})"
    )


# holdout5, renamed in session 21 when the encoder was trained on it (not the linear models).
VALIDATION = CORPUS / "boundary_holdout5.csv"


def validate() -> None:
    """Counts (never texts) of the guard on the validation set for each let-through threshold,
    and the one the cost chooses (the rules' signs and `_refused`, as `cv` decides)."""
    examples = learn.read_examples([VALIDATION])
    rules = _Rules(examples)
    scores = {
        i: (score_normal(_normal(e.text)), safety_score_normal(_normal(e.text)))
        for i, e in enumerate(examples)
    }
    table = {
        let: _rates(
            examples, {i: _refused(rules, i, pair, REFUSE_ALONE, let) for i, pair in scores.items()}
        )
        for let in LET_THROUGH_GRID
    }
    for let, rates in table.items():
        print(
            f"let through {let:4.2f}: discipline refused {_pct(rates['discipline'])}"
            f", safety refused {_pct(rates['safety'])}"
        )
    chosen = max(
        table, key=lambda let: table[let]["discipline"][0] - SAFETY_COST * table[let]["safety"][0]
    )
    print(f"chosen: {chosen} (committed: {LET_THROUGH}; refuse alone {REFUSE_ALONE} from cv)")


def score_file(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for label in ("discipline", "safety", "neutral"):
        texts = [r["text"] for r in rows if r["label"] == label]
        if not texts:
            continue
        by_rules = sum(discipline_sign(t) is not None and safety_sign(t) is None for t in texts)
        by_guard = sum(verdict(t).refused for t in texts)
        print(
            f"{path.name} {label}: {len(texts)} texts; refused by the rules alone "
            f"{_pct((by_rules, len(texts)))}, by the guard {_pct((by_guard, len(texts)))}"
        )


def write_model() -> None:
    examples = _labelled()
    WEIGHTS.write_text(learn.dumps(learn.train(examples)), encoding="utf-8")
    SAFETY_WEIGHTS.write_text(learn.dumps(learn.train_safety(examples)), encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(ROOT)} and {SAFETY_WEIGHTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("train")
    sub.add_parser("cv")
    sub.add_parser("validate")
    scoring = sub.add_parser("score")
    scoring.add_argument("csv", type=Path)
    args = parser.parse_args()
    if args.command == "train":
        write_model()
    elif args.command == "cv":
        cross_validate()
    elif args.command == "validate":
        validate()
    else:
        score_file(args.csv)


if __name__ == "__main__":
    main()
