"""High-school areas and merges, on the real JCPS file and the tiny fixture."""

from __future__ import annotations

import pytest

from planning.domain import InputError, School
from planning.zoning.areas import build_areas, can_split

from .conftest import MAGNET_HIGH_SCHOOLS


def test_can_split() -> None:
    assert not can_split(2, min_size=3, max_size=7)
    assert all(can_split(n, min_size=3, max_size=7) for n in range(3, 40))
    assert not can_split(7, min_size=5, max_size=6)
    assert can_split(10, min_size=5, max_size=6)


def test_jcps_has_14_areas_of_4_to_21_after_merging_the_7_magnets(
    jcps: tuple[School, ...],
) -> None:
    areas = build_areas(schools=jcps, min_size=3, max_size=7)
    sizes = areas.sizes()
    assert len(areas.names) == 14
    assert (min(sizes), max(sizes)) == (4, 21)
    assert sum(sizes) == len(jcps) == 167
    assert sorted(m.area for m in areas.merges) == sorted(MAGNET_HIGH_SCHOOLS)
    assert all(m.reason == "resides zone" and m.schools == 1 for m in areas.merges)
    merged = {m.area: m.into for m in areas.merges}
    assert merged["Louisville Male High"] == "Seneca High"
    assert merged["Butler Traditional High"] == "Doss High"
    # aligned zones of at most 7 need sum ceil(n/7) officers
    assert sum(-(-n // 7) for n in sizes) == 28


def test_jcps_split_feeders_follow_the_residence_zone(jcps: tuple[School, ...]) -> None:
    areas = build_areas(schools=jcps, min_size=3, max_size=7)
    by_name = {s.name: i for i, s in enumerate(jcps)}
    area_of = {i: name for name, m in zip(areas.names, areas.members, strict=True) for i in m}
    assert area_of[by_name["Ramsey Middle"]] == "Jeffersontown High"
    assert area_of[by_name["Thomas Jefferson Middle"]] == "Southern High"
    assert any("Ramsey Middle: split feeder" in n for n in areas.notes)


def test_no_merge_names_the_small_area(jcps: tuple[School, ...]) -> None:
    with pytest.raises(InputError, match=r"area '.*' has 1 school\(s\).*--no-merge"):
        build_areas(schools=jcps, min_size=3, max_size=7, allow_merge=False)


def test_tiny_fixture_merges_magnet_and_places_loose_sites(tiny: tuple[School, ...]) -> None:
    areas = build_areas(schools=tiny, min_size=3, max_size=7)
    assert areas.names == ("North High", "South High")
    assert areas.sizes() == (8, 6)
    assert [(m.area, m.into, m.reason) for m in areas.merges] == [
        ("Magnet High", "North High", "resides zone")
    ]
    assert any("Far Center" in n and "nearest" in n for n in areas.notes)


def test_no_feeders_and_no_zones_is_an_error() -> None:
    schools = [
        School(id=str(i), name=f"S{i}", level="elementary", lat=38 + i / 100, lon=-85.7,
               calls_per_day=0.1)
        for i in range(5)
    ]  # fmt: skip
    with pytest.raises(InputError, match="--unaligned"):
        build_areas(schools=schools, min_size=3, max_size=7)
