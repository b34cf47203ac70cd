"""The rules' signs for the encoder's build (run with the project's venv) -> work/verdicts.json.

Training texts: every labelled file but the blind sets (`discipline_learn.training_files`), the
neutral notes (`neutral_notes_*.csv`) and the encoder's boundary texts (`boundary_*.csv`, which
the linear models do not read), with their texts, the rules' first safety sign (its topic), the
words every sign matched, whether a rule names a discipline topic and whether the text names
whom it is about. The blind sets are not read here: their figures are the guard test's
(`pytest -s tests/safeops/core/test_discipline_guard.py -k unseen`)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safeops.core import discipline_learn as learn  # noqa: E402
from safeops.core.discipline_encoder import as_read  # noqa: E402
from safeops.core.discipline_rules import (  # noqa: E402
    discipline_sign,
    names_a_subject,
    safety_signs,
)

CORPUS = ROOT / "tests" / "safeops" / "core"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _row(source: str, row: dict[str, str]) -> dict[str, object]:
    signs = safety_signs(row["text"])  # the first is `safety_sign`'s
    return dict(
        source=source,
        label=row["label"],
        text=as_read(row["text"]),  # as the guard reads it: a shouted text in lower case
        safety=signs[0].topic if signs else None,
        sign_words=sorted({sign.words for sign in signs}),
        discipline=discipline_sign(row["text"]) is not None,  # a rule names a discipline topic
        subject=names_a_subject(row["text"]),  # the text says whom it is about
    )


def main() -> None:
    files = [
        *learn.training_files(CORPUS),
        *sorted(CORPUS.glob("neutral_notes_*.csv")),
        *sorted(CORPUS.glob("boundary_*.csv")),
    ]
    train = [_row(path.name, r) for path in files for r in _rows(path)]
    (HERE / "work").mkdir(exist_ok=True)
    (HERE / "work" / "verdicts.json").write_text(json.dumps(dict(train=train)))
    print(f"{len(train)} training texts from {len(files)} files")


if __name__ == "__main__":
    main()
