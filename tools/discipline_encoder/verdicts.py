"""The rules' signs for the encoder's build (run with the project's venv) -> work/verdicts.json.

Training texts: every labelled file but the blind sets (`discipline_learn.training_files`), the
neutral notes (`neutral_notes_*.csv`) and the encoder's boundary texts (`boundary_*.csv`, which
the linear models do not read), with their texts. Blind sets: label and the rules'
safety sign by row, never the text."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safeops.core import discipline_learn as learn  # noqa: E402
from safeops.core.discipline_rules import safety_sign  # noqa: E402

CORPUS = ROOT / "tests" / "safeops" / "core"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _sign(text: str) -> str | None:
    found = safety_sign(text)
    return found.topic if found else None


def main() -> None:
    files = [
        *learn.training_files(CORPUS),
        *sorted(CORPUS.glob("neutral_notes_*.csv")),
        *sorted(CORPUS.glob("boundary_*.csv")),
    ]
    train = [
        dict(source=path.name, label=r["label"], text=r["text"], safety=_sign(r["text"]))
        for path in files
        for r in _rows(path)
    ]
    blind = [
        dict(source=name, row=n, label=r["label"], safety=_sign(r["text"]))
        for name in sorted(learn.BLIND_SETS)
        for n, r in enumerate(_rows(CORPUS / name))
    ]
    (HERE / "work").mkdir(exist_ok=True)
    (HERE / "work" / "verdicts.json").write_text(json.dumps(dict(train=train, blind=blind)))
    print(f"{len(train)} training texts from {len(files)} files; {len(blind)} blind rows")


if __name__ == "__main__":
    main()
