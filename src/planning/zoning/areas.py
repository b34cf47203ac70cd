"""High-school areas: which schools may share a zone, and merges of small areas.

Rules (issue 3, "Zone design" and "Real data is messier than the rule"):

1. A school with a feeder high school belongs to that feeder's area. With a
   split feeder (``A; B``) it takes the one whose residence zone holds the
   building, else the first listed.
2. A school without a feeder joins the area it lies in (``hs_resides_zone``)
   when that area exists, else the area with the nearest member school.
3. An area too small to form zones of ``min_size``-``max_size`` schools (no
   ``k`` with ``k * min_size <= n <= k * max_size``) merges into the area its
   high school lies in (the high school's own ``hs_resides_zone``), else into
   the nearest area. Each merge is reported. With merges disallowed, such an
   area is an error that names it.

In the JCPS file, rule 3 merges the seven magnet or district-wide high schools
(Butler, Male, Western, J. Graham Brown, Central, duPont Manual, the Academy @
Shawnee), each of which lists only itself as its feeder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planning.domain import AreaMerge, InputError, School
from planning.travel import great_circle_km

__all__ = ["Areas", "build_areas", "can_split"]


def can_split(n: int, *, min_size: int, max_size: int) -> bool:
    """True when ``n`` schools can form zones of ``min_size``-``max_size``."""
    return n > 0 and -(-n // max_size) * min_size <= n


@dataclass(frozen=True)
class Areas:
    """Schools grouped into high-school areas.

    Attributes
    ----------
    names
        Area names (the high school's name), sorted.
    members
        For each area, positions into the ``schools`` sequence given to
        :func:`build_areas`, ascending.
    merges
        Areas merged into others, in merge order.
    notes
        Remarks on split feeders and schools placed by residence or distance.
    """

    names: tuple[str, ...]
    members: tuple[tuple[int, ...], ...]
    merges: tuple[AreaMerge, ...]
    notes: tuple[str, ...]

    def sizes(self) -> tuple[int, ...]:
        """Schools per area."""
        return tuple(len(m) for m in self.members)


def _nearest_area(
    point: tuple[float, float],
    groups: dict[str, list[int]],
    schools: Sequence[School],
    exclude: str | None = None,
) -> str:
    best, best_d = "", np.inf
    for name in sorted(groups):
        if name == exclude or not groups[name]:
            continue
        lat = np.array([schools[i].lat for i in groups[name]])
        lon = np.array([schools[i].lon for i in groups[name]])
        d = float(np.min(great_circle_km(np.array([point[0]]), np.array([point[1]]), lat, lon)))
        if d < best_d:
            best, best_d = name, d
    return best


def build_areas(
    *, schools: Sequence[School], min_size: int, max_size: int, allow_merge: bool = True
) -> Areas:
    """Group schools into high-school areas and merge the ones too small.

    Parameters
    ----------
    schools
        The schools to zone (dedicated schools already removed).
    min_size, max_size
        Schools per zone.
    allow_merge
        Merge small areas (default). When False, a small area raises.

    Raises
    ------
    InputError
        When no school names a feeder or residence zone, or an area is too
        small and merging is off (or there is nothing to merge into).
    """
    groups: dict[str, list[int]] = {}
    notes: list[str] = []
    loose: list[int] = []
    feeder_names = {f for s in schools for f in s.feeder_high_schools}
    use_resides = not feeder_names
    for i, s in enumerate(schools):
        if use_resides:
            if s.resides_zone:
                groups.setdefault(s.resides_zone, []).append(i)
            else:
                loose.append(i)
            continue
        if not s.feeder_high_schools:
            loose.append(i)
            continue
        feeder = s.feeder_high_schools[0]
        if len(s.feeder_high_schools) > 1:
            if s.resides_zone in s.feeder_high_schools:
                feeder = s.resides_zone
            notes.append(f"{s.name}: split feeder {'; '.join(s.feeder_high_schools)} -> {feeder}")
        groups.setdefault(feeder, []).append(i)
    if not groups:
        raise InputError(
            "no school has a feeder_high_school or hs_resides_zone, so zones cannot be "
            "aligned with high schools; fill those columns or plan with --unaligned",
            field="feeder_high_school",
        )
    for i in loose:
        s = schools[i]
        if s.resides_zone and s.resides_zone in groups:
            groups[s.resides_zone].append(i)
        else:
            target = _nearest_area((s.lat, s.lon), groups, schools)
            groups[target].append(i)
            notes.append(f"{s.name}: no feeder or residence area, joined nearest area {target}")

    by_name = {s.name: s for s in schools}
    merges: list[AreaMerge] = []
    while True:
        small = sorted(
            (len(v), k)
            for k, v in groups.items()
            if not can_split(len(v), min_size=min_size, max_size=max_size)
        )
        if not small:
            break
        n, name = small[0]
        if not allow_merge:
            raise InputError(
                f"high-school area {name!r} has {n} school(s), too few or the wrong "
                f"number for zones of {min_size}-{max_size}; allow merges (drop "
                "--no-merge) or change --min-size/--max-size",
                field="feeder_high_school",
            )
        if len(groups) == 1:
            raise InputError(
                f"only one high-school area ({name!r}, {n} schools) and it cannot form "
                f"zones of {min_size}-{max_size}; change --min-size/--max-size",
                field="feeder_high_school",
            )
        hs = by_name.get(name)
        into, reason = "", ""
        if hs is not None and hs.resides_zone not in (None, name) and hs.resides_zone in groups:
            into, reason = str(hs.resides_zone), "resides zone"
        if not into:
            members = groups[name]
            pt = (
                (hs.lat, hs.lon)
                if hs is not None
                else (
                    float(np.mean([schools[i].lat for i in members])),
                    float(np.mean([schools[i].lon for i in members])),
                )
            )
            into, reason = _nearest_area(pt, groups, schools, exclude=name), "nearest area"
        groups[into].extend(groups.pop(name))
        merges.append(AreaMerge(area=name, into=into, schools=n, reason=reason))
    names = tuple(sorted(groups))
    return Areas(
        names=names,
        members=tuple(tuple(sorted(groups[k])) for k in names),
        merges=tuple(merges),
        notes=tuple(notes),
    )
