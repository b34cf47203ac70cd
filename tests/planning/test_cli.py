"""``safeops plan`` end to end on the tiny fixture, and its input errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from planning.cli import main
from planning.domain import Locations
from planning.io.schools import read_schools
from planning.travel import HaversineTravel

from .conftest import JCPS_CSV, TINY_CSV


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_cli_target_writes_all_five_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        ["--schools", str(TINY_CSV), "--target-minutes", "30", "--percentile", "90",
         "--out", str(out), "--seed", "3"]
    )  # fmt: skip
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "assignments.csv", "report.html", "staffing.csv", "summary.json", "zones.geojson"
    ]  # fmt: skip
    summary = json.loads((out / "summary.json").read_text())
    assert summary["officers"] == summary["target"]["smallest_officers"] == 3
    assert summary["minimum_officers"] == 3
    assert summary["aligned"] is True
    assert [m["area"] for m in summary["merges"]] == ["Magnet High"]
    assert summary["gap"] is not None and summary["gap"] <= 1e-6
    assert summary["lower_bound"] <= summary["objective"] + 1e-9
    assert {"mean", "p90", "by_school", "utilisation"} <= set(summary["response"])
    assert len(summary["response"]["by_school"]) == 14
    zone_ids = {z["id"] for z in summary["zones"]}
    all_ids = sorted(s for z in summary["zones"] for s in z["school_ids"])
    assert len(all_ids) == len(set(all_ids)) == 14
    for z in summary["zones"]:
        assert 3 <= len(z["school_ids"]) <= 7
        assert z["post"] in z["school_ids"]
        assert z["high_school"] in ("North High", "South High")
    rows = _read_csv(out / "assignments.csv")
    assert len(rows) == 14 and {r["zone_id"] for r in rows} == zone_ids
    assert sum(int(r["is_post"]) for r in rows) == 3
    assert all(float(r["travel_minutes"]) >= 1.5 for r in rows)
    staffing = _read_csv(out / "staffing.csv")
    assert [int(r["officers"]) for r in staffing] == [3, 4]
    assert staffing[0]["meets_target"] == "1"
    geo = json.loads((out / "zones.geojson").read_text())
    kinds = [f["properties"]["kind"] for f in geo["features"]]
    assert kinds.count("zone") == 3 and kinds.count("school") == 14 and kinds.count("post") == 3
    ring = next(f for f in geo["features"] if f["properties"]["kind"] == "zone")["geometry"]
    assert ring["type"] == "Polygon" and ring["coordinates"][0][0] == ring["coordinates"][0][-1]
    html = (out / "report.html").read_text()
    assert "<svg" in html and "data:image/png;base64," in html and "Magnet High" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "3 officers reach 90% of calls within 30 minutes" in capsys.readouterr().out


def test_cli_fixed_count_and_dedicated(tmp_path: Path) -> None:
    out = tmp_path / "o"
    code = main(
        ["--schools", str(TINY_CSV), "--officers", "4", "--dedicated", "alternative",
         "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    dedicated = [z for z in summary["zones"] if z["dedicated"]]
    assert [z["school_ids"] for z in dedicated] == [["900013"]]
    assert not (out / "staffing.csv").exists()
    assert all(3 <= len(z["school_ids"]) <= 7 for z in summary["zones"] if not z["dedicated"])


def test_cli_below_minimum_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--schools", str(TINY_CSV), "--officers", "2", "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "at least 3 officers" in err and "--officers 3" in err


def test_cli_bad_row_names_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    lines = TINY_CSV.read_text().splitlines()
    lines[4] = lines[4].replace("38.290", "")
    bad.write_text("\n".join(lines) + "\n")
    code = main(["--schools", str(bad), "--officers", "3", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "line 5, field 'lat'" in err and "no coordinates" in err
    assert not (tmp_path / "o").exists()


def test_cli_missing_column_and_no_merge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,level,lat,lon\nA,high,38,-85\n")
    assert main(["--schools", str(bad), "--officers", "3", "--out", str(tmp_path)]) == 2
    # name, level, lat and lon are all a file needs (as for import-schools); aligned zones
    # need the feeder column, and the message says so.
    assert "plan with --unaligned" in capsys.readouterr().err
    code = main(["--schools", str(TINY_CSV), "--officers", "3", "--no-merge", "--out",
                 str(tmp_path)])  # fmt: skip
    assert code == 2
    assert "area 'Magnet High' has 2 school(s)" in capsys.readouterr().err


def test_cli_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--schools", "x.csv"]) == 2
    assert "safeops plan" in capsys.readouterr().err


@pytest.mark.slow
def test_python_dash_m_runs(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "planning.cli", "--schools", str(TINY_CSV), "--officers", "3",
         "--out", str(tmp_path / "m")],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "m" / "summary.json").is_file()


@pytest.mark.slow
def test_cli_on_jcps_30(tmp_path: Path) -> None:
    if not JCPS_CSV.is_file():
        pytest.skip(f"JCPS data not found at {JCPS_CSV}")
    assert main(["--schools", str(JCPS_CSV), "--officers", "30", "--out", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["officers"] == 30 and summary["gap"] <= 0.005
    assert sum(len(z["school_ids"]) for z in summary["zones"]) == 167


def test_cli_with_a_matrix_file(tmp_path: Path) -> None:
    """``--travel matrix:FILE`` gives the same plan as the model that wrote the matrix."""

    schools = read_schools(TINY_CSV)
    loc = Locations.of(schools)
    m = HaversineTravel().matrix(loc, loc)
    matrix = tmp_path / "m.csv"
    with matrix.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", *loc.ids])
        for i, sid in enumerate(loc.ids):
            w.writerow([sid, *(f"{v:.10f}" for v in m[i])])
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["--schools", str(TINY_CSV), "--officers", "4", "--out", str(a)]) == 0
    args = ["--schools", str(TINY_CSV), "--officers", "4", "--travel", f"matrix:{matrix}"]
    assert main([*args, "--out", str(b)]) == 0
    sa = json.loads((a / "summary.json").read_text())
    sb = json.loads((b / "summary.json").read_text())
    assert sa["zones"] == sb["zones"]
    assert sa["objective"] == pytest.approx(sb["objective"], rel=1e-9)


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        (["--officers", "3", "--percentile", "120"], "--percentile must lie between 0 and 100"),
        (["--target-minutes", "-1"], "--target-minutes must be positive"),
        (["--officers", "3", "--balance", "2,3"], "must contain 1"),
        (["--officers", "3", "--dedicated", "nobody"], "fix --dedicated"),
        (["--officers", "3", "--travel", "teleport"], "haversine, osrm:URL or matrix:FILE"),
    ],
)
def test_cli_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], text: str
) -> None:
    assert main(["--schools", str(TINY_CSV), *extra, "--out", str(tmp_path / "o")]) == 2
    assert text in capsys.readouterr().err
