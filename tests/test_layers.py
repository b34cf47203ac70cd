"""The import contracts bite: an import that climbs a layer or joins two feature apps fails
`lint-imports` (which `make lint` runs). Run on a copy of the sources, never on src/ itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
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


def _layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return [
        {name.strip() for name in re.split(r"[:|]", layer) if name.strip()}
        for layer in contract["layers"]
    ]


def test_every_module_of_the_district_model_apps_has_its_layer() -> None:
    """schools, zones, staff and accounts are split around access module by module: a new
    module in them must be placed (above access if it asks access, below if access reads it)."""
    placed = set().union(*_layers())
    for app in ("schools", "zones", "staff", "accounts"):
        folder = ROOT / "src" / "safeops" / app
        for child in folder.iterdir():
            name = child.stem if child.suffix == ".py" else child.name
            if name in {"__init__", "__pycache__"} or not (
                child.suffix == ".py" or (child / "__init__.py").exists()
            ):
                continue
            assert f"safeops.{app}.{name}" in placed, f"safeops.{app}.{name} has no layer"


def test_access_has_a_layer_of_its_own_between_the_district_model_and_the_feature_apps() -> None:
    layers = _layers()
    access = layers.index({"safeops.access"})
    assert "safeops.schools.models" in layers[access + 1]
    assert {"safeops.dispatch", "safeops.schools.views"} <= layers[access - 1]
    assert layers[-1] == {"safeops.core"}


@pytest.mark.slow
def test_the_district_models_importing_access_fails_the_layers_contract(tmp_path: Path) -> None:
    result = _lint(tmp_path, "safeops/zones/models.py", "from safeops.access import restrict")
    assert result.returncode != 0
    assert "safeops.zones.models is not allowed to import safeops.access" in result.stdout


@pytest.mark.slow
def test_core_importing_access_fails_the_layers_contract(tmp_path: Path) -> None:
    result = _lint(tmp_path, "safeops/core/jobs.py", "from safeops.access import viewer_for")
    assert result.returncode != 0
    assert "safeops.core is not allowed to import safeops.access" in result.stdout


TEST_MODULE_IMPORT = re.compile(r"^\s*(?:from|import) tests\.(?:\w+\.)*test_\w+", re.M)


def test_no_test_module_imports_from_another() -> None:
    """What two test modules share lives in a helper module (pages.py, factories.py, a
    directory's fixture.py), not in either test module."""
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if TEST_MODULE_IMPORT.search(path.read_text())
    ]
    assert not found, found
