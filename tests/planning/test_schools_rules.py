"""The planner and the importer read schools files by one set of rules (planning.io.rules):
the same required columns and levels, no school at 0, 0, no school far from the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planning.domain import InputError
from planning.io.rules import outliers
from planning.io.schools import read_schools

HEADER = "name,level,lat,lon\n"
ROWS = (
    "North High,high,38.30,-85.70\n"
    "North Middle,middle,38.31,-85.69\n"
    "South High,high,38.10,-85.70\n"
    "South Elementary,elementary,38.11,-85.71\n"
)


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "schools.csv"
    path.write_text(text)
    return path


def test_name_level_lat_and_lon_are_enough(tmp_path: Path) -> None:
    schools = read_schools(_csv(tmp_path, HEADER + ROWS))
    assert [s.name for s in schools] == [
        "North High",
        "North Middle",
        "South High",
        "South Elementary",
    ]
    assert all(s.enrollment is None and not s.feeder_high_schools for s in schools)


def test_a_school_at_zero_zero_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + ROWS + "Lost Elementary,elementary,0,0\n")
    with pytest.raises(InputError) as error:
        read_schools(path)
    assert error.value.line == 6
    assert "Lost Elementary" in str(error.value) and "0, 0" in str(error.value)


def test_a_school_far_from_the_others_is_refused_with_its_name(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + ROWS + "Typo High,high,83.10,-85.70\n")
    with pytest.raises(InputError) as error:
        read_schools(path)
    assert error.value.line == 6
    assert "'Typo High' lies" in str(error.value) and "check its lat and lon" in str(error.value)


def test_an_unknown_level_code_is_refused_not_guessed(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + "North High,HS,38.30,-85.70\n")
    with pytest.raises(InputError) as error:
        read_schools(path)
    assert "'HS' is not a known level" in str(error.value)
    assert error.value.line == 2


def test_levels_are_forgiven_their_case_spaces_and_hyphens(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + "Little Ones,Early Childhood,38.30,-85.70\n")
    assert read_schools(path)[0].level == "early_childhood"


def test_a_missing_geojson_property_is_reported_once(tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-85.7 + i / 100, 38.2]},
            "properties": {"name": f"School {i}"},
        }
        for i in range(230)
    ]
    path = tmp_path / "schools.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(InputError) as error:
        read_schools(path)
    message = str(error.value)
    assert "missing property 'level' in 230 feature(s): 1, 2, 3, 4, 5, ..." in message
    assert message.count("missing property") == 1


def test_outliers_use_the_median_so_a_few_bad_rows_cannot_hide() -> None:
    points = [(38.2, -85.7), (38.21, -85.69), (38.19, -85.71), (0.0, 0.0), (0.0, 0.1)]
    assert [index for index, _km in outliers(points)] == [3, 4]
