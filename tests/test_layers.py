"""The import contracts bite: an import that climbs a layer or joins two feature apps fails
`lint-imports` (which `make lint` runs). Run on a copy of the sources, never on src/ itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tmp_path: Path, module: str, line: str) -> subprocess.CompletedProcess[str]:
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / module
    target.write_text(target.read_text() + f"\n{line}\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_core_importing_a_feature_app_fails_the_layers_contract(tmp_path: Path) -> None:
    result = _lint(tmp_path, "safeops/core/geo.py", "from safeops.drills.models import Drill")
    assert result.returncode != 0
    assert "safeops.core is not allowed to import safeops.drills" in result.stdout
    assert "safeops.core.geo -> safeops.drills.models" in result.stdout


@pytest.mark.slow
def test_an_undeclared_link_between_feature_apps_fails(tmp_path: Path) -> None:
    result = _lint(tmp_path, "safeops/drills/engine.py", "from safeops.threats import models")
    assert result.returncode != 0
    assert "safeops.drills is not allowed to import safeops.threats" in result.stdout
