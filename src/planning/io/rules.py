"""The rules a schools file must meet, shared by the planner (`safeops plan`) and the importer
(`safeops import-schools`), so both accept and reject the same files.

Required: name, level, lat, lon. Level is one of :data:`LEVELS` (case, spaces and hyphens are
forgiven: "Early childhood" is ``early_childhood``). A school at 0, 0 is an unfilled coordinate.
A school far from the middle of the others (:data:`OUTLIER_KM`, measured from the median
point, which a few bad rows cannot move) is a typo or a school of another district; both are
refused with the school named, never planned silently.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from planning.geo import haversine_km

__all__ = [
    "LEVELS",
    "MESSAGE_LEVEL_UNKNOWN",
    "MESSAGE_NULL_ISLAND",
    "MESSAGE_OUTLIER",
    "OUTLIER_KM",
    "REQUIRED_FIELDS",
    "is_null_island",
    "normalise_level",
    "outliers",
]

REQUIRED_FIELDS = ("name", "level", "lat", "lon")
LEVELS = (
    "elementary",
    "middle",
    "high",
    "combined",
    "alternative",
    "early_childhood",
    "special_program",
)
OUTLIER_KM = 150.0
MIN_SCHOOLS_FOR_OUTLIERS = 3

MESSAGE_LEVEL_UNKNOWN = "{value!r} is not a known level (allowed: {allowed})"
MESSAGE_NULL_ISLAND = "0, 0 is not a school's place (a coordinate left empty?); fill in lat and lon"
MESSAGE_OUTLIER = (
    "{name!r} lies {km:,.0f} km from the middle of the other schools (more than {limit:,.0f} "
    "km): check its lat and lon"
)


def normalise_level(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def is_null_island(lat: float, lon: float) -> bool:
    return abs(lat) < 1e-6 and abs(lon) < 1e-6


def outliers(
    points: Sequence[tuple[float, float]], *, limit_km: float = OUTLIER_KM
) -> list[tuple[int, float]]:
    """(index, km from the median point) of each point farther than `limit_km`."""
    if len(points) < MIN_SCHOOLS_FOR_OUTLIERS:
        return []
    middle_lat = statistics.median(lat for lat, _ in points)
    middle_lon = statistics.median(lon for _, lon in points)
    found = []
    for index, (lat, lon) in enumerate(points):
        km = haversine_km(lat, lon, middle_lat, middle_lon)
        if km > limit_km:
            found.append((index, km))
    return found
