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


def test_safeops_plan_needs_no_django_settings(tmp_path: Path) -> None:
    """Planning is plain Python: `safeops plan` runs with no DEBUG, SECRET_KEY or database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    schools = Path(__file__).resolve().parent.parent / "planning" / "data" / "tiny_schools.csv"
    helped = subprocess.run(
        [str(BIN / "safeops"), "plan", "--help"], env=env, capture_output=True, text=True
    )
    assert helped.returncode == 0, helped.stderr
    assert "--schools" in helped.stdout
    planned = subprocess.run(
        [
            str(BIN / "safeops"),
            "plan",
            "--schools",
            str(schools),
            "--officers",
            "3",
            "--out",
            "out",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert planned.returncode == 0, planned.stderr
    assert "ImproperlyConfigured" not in planned.stderr
