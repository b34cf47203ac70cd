"""Reading schools: CSV and GeoJSON, and errors that name line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planning.demand import default_calls_per_day
from planning.domain import InputError
from planning.io.schools import read_schools

from .conftest import TINY_CSV

HEADER = "name,level,lat,lon,enrollment,feeder_high_school,code,hs_resides_zone\n"


def _write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    p = tmp_path / "s.csv"
    p.write_text(header + body)
    return p


def test_tiny_fixture_reads(tiny_rows: int = 14) -> None:
    schools = read_schools(TINY_CSV)
    assert len(schools) == tiny_rows
    south_middle = next(s for s in schools if s.name == "South Middle")
    assert south_middle.feeder_high_schools == ("South High", "North High")
    assert south_middle.id == "900010"
    assert south_middle.line == 11
    assert south_middle.calls_per_day == pytest.approx(
        default_calls_per_day(level="middle", enrollment=760)
    )


def test_missing_columns_are_named(tmp_path: Path) -> None:
    p = _write(tmp_path, "A,38,-85\n", header="name,lat,lon\n")
    with pytest.raises(InputError, match=r"line 1: missing column\(s\) level;"):
        read_schools(p)


def test_missing_coordinates_name_line_and_field(tmp_path: Path) -> None:
    p = _write(tmp_path, "A,high,38.1,-85.7,100,A,1,\nB,elementary,,-85.6,200,A,2,\n")
    with pytest.raises(InputError) as info:
        read_schools(p)
    assert info.value.line == 3 and info.value.field == "lat"
    assert "line 3, field 'lat'" in str(info.value) and "'B' has no coordinates" in str(info.value)


@pytest.mark.parametrize(
    ("row", "field", "text"),
    [
        ("A,high,95,-85.7,100,A,1,", "lat", "must lie in"),
        ("A,high,38,-85.7,lots,A,1,", "enrollment", "not a number"),
        (",high,38,-85.7,100,A,1,", "name", "empty school name"),
        ("A,,38,-85.7,100,A,1,", "level", "has no level"),
    ],
)
def test_bad_cells(tmp_path: Path, row: str, field: str, text: str) -> None:
    with pytest.raises(InputError, match=rf"line 2, field '{field}': .*{text}"):
        read_schools(_write(tmp_path, row + "\n"))


def test_duplicate_ids(tmp_path: Path) -> None:
    p = _write(tmp_path, "A,high,38,-85.7,100,A,1,\nB,high,38,-85.6,100,B,1,\n")
    with pytest.raises(InputError, match="line 3, field 'code': id '1' already used at line 2"):
        read_schools(p)


def test_calls_and_active_columns(tmp_path: Path) -> None:
    header = HEADER.strip() + ",calls_per_day,active\n"
    p = _write(tmp_path, "A,high,38,-85.7,100,A,1,,2.5,yes\nB,high,38,-85.6,100,B,2,,,no\n", header)
    schools = read_schools(p)
    assert [(s.id, s.calls_per_day) for s in schools] == [("1", 2.5)]


def test_geojson(tmp_path: Path) -> None:
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-85.7, 38.2]},
            "properties": {"name": "A", "level": "high", "enrollment": 900,
                           "feeder_high_school": "A", "code": "x1"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": []},
            "properties": {"name": "B", "level": "high", "enrollment": 900,
                           "feeder_high_school": "B"},
        },
    ]  # fmt: skip
    p = tmp_path / "s.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": feats[:1]}))
    (school,) = read_schools(p)
    assert (school.id, school.lat, school.lon) == ("x1", 38.2, -85.7)
    p.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    with pytest.raises(InputError, match="feature 2, field 'geometry': geometry must be a Point"):
        read_schools(p)


def test_unknown_file_type_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_schools(tmp_path / "nope.csv")
    (tmp_path / "s.txt").write_text("x")
    with pytest.raises(InputError, match=r"\.csv, \.geojson or \.json"):
        read_schools(tmp_path / "s.txt")
