"""`safeops` is one console script over the management commands, with hyphenated names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def test_hyphenated_commands_run_without_manage_py() -> None:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": "sqlite://:memory:"}
    result = subprocess.run(
        [str(BIN / "safeops"), "seed-demo", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Generate the fictional demo district" in result.stdout
    listing = subprocess.run(
        [str(BIN / "safeops"), "help"], env=env, capture_output=True, text=True, check=True
    ).stdout
    for command in ("import_schools", "export_schools", "seed_demo", "serve", "create_token"):
        assert command in listing
