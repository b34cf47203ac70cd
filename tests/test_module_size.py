"""No god files (issue 14): a source module over 500 lines says why at its top, in its
docstring, with a paragraph starting "Over 500 lines:". Generated migrations are left out."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 500
REASON = "Over 500 lines:"


def _long_modules_without_a_reason(src: Path) -> list[str]:
    found = []
    for path in sorted(src.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) <= LIMIT:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if REASON not in docstring:
            found.append(f"{path.relative_to(src)} ({len(text.splitlines())} lines)")
    return found


def test_no_source_module_over_500_lines_without_a_reason_at_its_top() -> None:
    assert _long_modules_without_a_reason(ROOT / "src") == []


def test_a_long_module_without_a_reason_is_found(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    body = "x = 1\n" * (LIMIT + 1)
    (tmp_path / "app" / "long.py").write_text('"""A module."""\n' + body)
    (tmp_path / "app" / "reasoned.py").write_text(
        f'"""A module.\n\n{REASON} one table of data.\n"""\n' + body
    )
    (tmp_path / "app" / "migrations").mkdir()
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text(body)
    assert _long_modules_without_a_reason(tmp_path) == [f"app/long.py ({LIMIT + 2} lines)"]
