"""Synthetic districts for tests and benchmarks (deterministic for a seed).

``n`` schools uniform in a square at JCPS density (167 schools over about
989 km^2, i.e. 5.9 km^2 per school), centred on Louisville. One school in
``schools_per_area`` is a high school; every elementary or middle school
feeds its nearest high school (so areas are Voronoi cells of about
``schools_per_area`` schools, like JCPS's 14 areas of 4-21). About 5% of high
schools are magnets that list only themselves as feeder (to exercise the
merge rule), and 8% of the other sites are alternative, special or
early-childhood programs with no feeder, placed by residence zone.
"""

from __future__ import annotations

import math

import numpy as np

from planning.demand import TYPICAL_ENROLLMENT, default_calls_per_day
from planning.domain import School
from planning.rng import as_generator

__all__ = ["synthetic_district"]

_KM2_PER_SCHOOL = 989.0 / 167.0
_LAT0, _LON0 = 38.2, -85.7


def synthetic_district(
    *, n: int, seed: int | np.random.Generator | None = 0, schools_per_area: float = 13.0
) -> tuple[School, ...]:
    """A random district of ``n`` schools (see module docstring)."""
    if n < 4:
        raise ValueError("need at least 4 schools")
    rng = as_generator(seed)
    side = math.sqrt(n * _KM2_PER_SCHOOL)
    xy = rng.uniform(0.0, side, size=(n, 2))
    n_hs = max(1, round(n / schools_per_area))
    hs = rng.choice(n, size=n_hs, replace=False)
    is_hs = np.zeros(n, dtype=bool)
    is_hs[hs] = True
    magnet = set(rng.choice(hs, size=max(0, round(0.05 * n_hs)), replace=False).tolist())
    if len(magnet) == n_hs:
        magnet = set()
    regular = np.array([h for h in hs if h not in magnet])
    nearest = np.empty(n, dtype=np.int64)
    for s in range(0, n, 2000):  # blocks keep the distance matrix small
        d = ((xy[s : s + 2000, None, :] - xy[None, regular, :]) ** 2).sum(-1)
        nearest[s : s + 2000] = regular[np.argmin(d, axis=1)]
    ky = 111.195
    kx = ky * math.cos(math.radians(_LAT0))
    lat = _LAT0 + (xy[:, 1] - side / 2) / ky
    lon = _LON0 + (xy[:, 0] - side / 2) / kx
    hs_name = {int(h): f"High {i + 1:04d}" for i, h in enumerate(sorted(hs.tolist()))}
    out: list[School] = []
    for i in range(n):
        resides = hs_name[int(nearest[i])]
        u = rng.random()
        if is_hs[i]:
            level = "high"
            feeders: tuple[str, ...] = (hs_name[i],)
            name = hs_name[i]
            resides = hs_name[i] if i not in magnet else resides
        else:
            if u < 0.70:
                level = "elementary"
            elif u < 0.92:
                level = "middle"
            else:
                level = ("alternative", "special_program", "early_childhood")[int(rng.integers(3))]
            feeders = (resides,) if level in ("elementary", "middle") else ()
            name = f"School {i + 1:05d}"
        enrollment = int(TYPICAL_ENROLLMENT[level] * math.exp(rng.normal(0.0, 0.3)))
        out.append(
            School(
                id=f"S{i + 1:05d}",
                name=name,
                level=level,
                lat=float(lat[i]),
                lon=float(lon[i]),
                calls_per_day=default_calls_per_day(level=level, enrollment=enrollment),
                enrollment=enrollment,
                feeder_high_schools=feeders,
                resides_zone=resides,
                line=i + 2,
            )
        )
    return tuple(out)
