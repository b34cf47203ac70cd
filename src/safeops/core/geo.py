"""Small geometry helpers for map layers (WGS84 longitude/latitude)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shapely

# Outlines are the convex hull of the points, widened so one- and two-point groups still show.
OUTLINE_BUFFER_DEGREES = 0.005


def outline(
    points: Sequence[tuple[float, float]], *, buffer: float = OUTLINE_BUFFER_DEGREES
) -> Any:
    """A GeoJSON geometry around `points` ((lon, lat) pairs)."""
    hull = shapely.MultiPoint(list(points)).convex_hull.buffer(buffer)
    return shapely.geometry.mapping(hull)
