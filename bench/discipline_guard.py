"""Benchmark of the discipline guard: this tree's verdict against another revision's
(`main` by default: its discipline_rules.py, loaded from git), both run in this process.

    .venv/bin/python bench/discipline_guard.py [--rev main] [--repeat 5]

Prints microseconds per text over every labelled text (tuning files and holdouts), the ratio
this / old (read the ratio: absolute times depend on the machine's load), and how many texts
get the same verdict (refused or not) from both.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safeops.core.discipline_rules import verdict  # noqa: E402

CORPUS = ROOT / "tests" / "safeops" / "core"


def _old_guard(rev: str) -> Callable[[str], Any]:
    source = subprocess.run(  # noqa: S603 - git, with the revision the user asked for
        ["git", "show", f"{rev}:src/safeops/core/discipline_rules.py"],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("old_discipline_rules")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{rev}:discipline_rules.py", "exec"), module.__dict__)  # noqa: S102 - our own file from git
    old: Callable[[str], Any] = module.verdict
    return old


def _time(guard: Callable[[str], object], texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            guard(text)
        best = min(best, (time.perf_counter() - started) / len(texts))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="main", help="git revision of the old rules")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = []
    for path in sorted(CORPUS.glob("discipline_*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    old = _old_guard(args.rev)
    # Alternate the two so a change in the machine's load hits both alike; keep each one's best.
    old_time = new_time = float("inf")
    for _ in range(args.repeat):
        old_time = min(old_time, _time(old, texts, 1))
        new_time = min(new_time, _time(verdict, texts, 1))
    same = sum(old(t).refused == verdict(t).refused for t in texts)
    print(f"{len(texts)} texts, best of {args.repeat} runs")
    print(f"{args.rev}: {old_time * 1e6:7.0f} µs per text")
    print(f"this tree: {new_time * 1e6:7.0f} µs per text")
    print(f"ratio this / {args.rev}: {new_time / old_time:.2f}")
    print(f"same verdict: {same} / {len(texts)}")


if __name__ == "__main__":
    main()
