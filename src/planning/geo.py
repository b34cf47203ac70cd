"""The one great-circle (haversine) distance of the project; safeops uses it too."""

from __future__ import annotations

import numpy as np

from planning.domain import FloatArray

__all__ = ["EARTH_RADIUS_KM", "great_circle_km", "haversine_km"]

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG)."""


def great_circle_km(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    r"""Haversine great-circle distance in km, broadcast over the inputs.

    .. math:: d = 2R\arcsin\sqrt{\sin^2\frac{\Delta\phi}{2}
              + \cos\phi_1\cos\phi_2\sin^2\frac{\Delta\lambda}{2}}

    with :math:`R` = 6371.0088 km.
    """
    p1 = np.radians(lat1)
    p2 = np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2.0) ** 2
    out: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return out


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The distance between two points, in km (`great_circle_km` on scalars)."""
    km = great_circle_km(np.array([lat1]), np.array([lon1]), np.array([lat2]), np.array([lon2]))
    return float(km[0])
