"""Travel-time models: ``matrix(origins, destinations)`` in minutes.

Three implementations share the :class:`TravelTimeModel` protocol:

* :class:`HaversineTravel` (default): great-circle distance x circuity / speed
  + a fixed start-up time.
* :class:`OsrmTravel`: an OSRM ``/table`` service run by the district.
* :class:`MatrixTravel`: a matrix read from CSV, looked up by point id.

Defaults of :class:`HaversineTravel`, with sources (see
``/work/shared/docs/kentucky-facts.md`` section 5, and ``docs/planning.md``):

* circuity 1.3: road distance / straight-line distance. Newell (1980) gives
  about 1.2 for random urban pairs; US county routes are 1.22-1.30 for the
  shortest and 1.35-1.43 for the quickest route (CDX Technologies analysis of
  Boscoe, Henry & Zdeb 2012, *Prof. Geogr.* 64(2)). 1.3 sits between.
* speed 30 mph: the RAND/ISO apparatus model ``T = 0.65 + 1.7 D`` implies a
  35 mph cruise; we take the low end of the 30-35 mph range for a patrol car
  in school-day traffic.
* start-up 1.5 min: dispatch plus turnout, midpoint of the 1-2 min range.

Until JCPS CAD data calibrate it, treat these as documented assumptions.
"""

from __future__ import annotations

import csv
import json
import math
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from planning.domain import FloatArray, InputError, Locations
from planning.geo import EARTH_RADIUS_KM, great_circle_km

__all__ = [
    "DEFAULT_CIRCUITY",
    "DEFAULT_SPEED_MPH",
    "DEFAULT_STARTUP_MINUTES",
    "EARTH_RADIUS_KM",
    "HaversineTravel",
    "MatrixTravel",
    "OsrmTravel",
    "TravelTimeModel",
    "great_circle_km",
    "travel_model_from_spec",
]

DEFAULT_CIRCUITY = 1.3
"""Road / straight-line distance ratio (kentucky-facts.md section 5, circuity)."""
DEFAULT_SPEED_MPH = 30.0
"""Mean patrol-car speed (kentucky-facts.md section 5, travel speed: 30-35 mph)."""
DEFAULT_STARTUP_MINUTES = 1.5
"""Dispatch plus turnout (kentucky-facts.md section 5: 1-2 minutes)."""
KM_PER_MILE = 1.609344


@runtime_checkable
class TravelTimeModel(Protocol):
    """Travel time in minutes from each origin to each destination.

    ``startup_minutes`` is the constant every entry includes (dispatch and
    turnout; 0 when none): gaps and comparisons are reported on travel time
    without it.
    """

    @property
    def startup_minutes(self) -> float:
        """Minutes every entry includes before any travel."""
        ...

    def matrix(self, origins: Locations, destinations: Locations) -> FloatArray:
        """Return an ``(len(origins), len(destinations))`` array of minutes."""
        ...


@dataclass(frozen=True)
class HaversineTravel:
    r"""Great-circle distance x circuity / speed + start-up time.

    .. math:: t_{ij} = t_0 + 60\,\frac{c\, d_{ij}}{v}

    with :math:`d_{ij}` the great-circle distance (km), :math:`c` the circuity,
    :math:`v` the speed (km/h) and :math:`t_0` the start-up minutes. The
    start-up time applies on the diagonal too (an officer at the school still
    has to be dispatched).

    Parameters
    ----------
    circuity
        Road / straight-line distance ratio, default 1.3.
    speed_mph
        Mean speed, default 30 mph.
    startup_minutes
        Dispatch and turnout, default 1.5 minutes.
    """

    circuity: float = DEFAULT_CIRCUITY
    speed_mph: float = DEFAULT_SPEED_MPH
    startup_minutes: float = DEFAULT_STARTUP_MINUTES

    def __post_init__(self) -> None:
        if self.circuity < 1.0 or self.speed_mph <= 0.0 or self.startup_minutes < 0.0:
            raise ValueError("need circuity >= 1, speed_mph > 0 and startup_minutes >= 0")

    @property
    def minutes_per_km(self) -> float:
        """Driving minutes per straight-line km."""
        return 60.0 * self.circuity / (self.speed_mph * KM_PER_MILE)

    def matrix(self, origins: Locations, destinations: Locations) -> FloatArray:
        """Minutes from each origin to each destination (vectorised)."""
        d = great_circle_km(
            origins.lat[:, None],
            origins.lon[:, None],
            destinations.lat[None, :],
            destinations.lon[None, :],
        )
        out: FloatArray = self.startup_minutes + self.minutes_per_km * d
        return out


@dataclass(frozen=True)
class MatrixTravel:
    """Travel minutes looked up by point id in a fixed matrix.

    Parameters
    ----------
    ids
        Point ids, in matrix order.
    minutes
        ``(n, n)`` array, ``minutes[i, j]`` from ``ids[i]`` to ``ids[j]``.
    startup_minutes
        Added to every entry (0 when the matrix already holds it).
    """

    ids: tuple[str, ...]
    minutes: FloatArray
    startup_minutes: float = 0.0
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if self.minutes.shape != (n, n):
            raise ValueError(f"minutes must be {n}x{n}, got {self.minutes.shape}")
        object.__setattr__(self, "_index", {k: i for i, k in enumerate(self.ids)})

    def _rows(self, points: Locations, what: str) -> list[int]:
        missing = [p for p in points.ids if p not in self._index]
        if missing:
            shown = ", ".join(missing[:5])
            raise InputError(
                f"{len(missing)} {what} not in the travel matrix (e.g. {shown}); "
                "add them to the matrix file or use --travel haversine"
            )
        return [self._index[p] for p in points.ids]

    def matrix(self, origins: Locations, destinations: Locations) -> FloatArray:
        """Minutes from each origin to each destination, by id."""
        r = np.asarray(self._rows(origins, "origins"), dtype=np.int64)
        c = np.asarray(self._rows(destinations, "destinations"), dtype=np.int64)
        out: FloatArray = self.minutes[np.ix_(r, c)] + self.startup_minutes
        return out

    @classmethod
    def from_csv(cls, path: Path, *, startup_minutes: float = 0.0) -> MatrixTravel:
        """Read a travel matrix from CSV.

        Two layouts are accepted:

        * long: header ``origin,destination,minutes``, one row per pair
          (every pair of listed ids must be present);
        * wide: header ``id,<id1>,<id2>,...``, one row per origin.

        Errors name the line and field.
        """
        src = str(path)
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
        if not rows:
            raise InputError("empty travel-matrix file", source=src)
        header = [h.strip().lower() for h in rows[0]]
        if header[:3] == ["origin", "destination", "minutes"]:
            return cls._from_long(rows[1:], src, startup_minutes)
        return cls._from_wide(rows, src, startup_minutes)

    @classmethod
    def _from_long(cls, rows: list[list[str]], src: str, startup: float) -> MatrixTravel:
        pairs: dict[tuple[str, str], float] = {}
        ids: dict[str, None] = {}
        for k, row in enumerate(rows, start=2):
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) < 3:
                raise InputError("expected origin,destination,minutes", source=src, line=k)
            o, d = row[0].strip(), row[1].strip()
            pairs[(o, d)] = _minutes(row[2], src, k, "minutes")
            ids.setdefault(o)
            ids.setdefault(d)
        order = tuple(ids)
        idx = {p: i for i, p in enumerate(order)}
        m = np.full((len(order), len(order)), np.nan)
        for (o, d), v in pairs.items():
            m[idx[o], idx[d]] = v
        np.fill_diagonal(m, np.where(np.isnan(np.diag(m)), 0.0, np.diag(m)))
        if np.isnan(m).any():
            i, j = np.argwhere(np.isnan(m))[0]
            raise InputError(
                f"no row for origin {order[i]!r} to destination {order[j]!r}; "
                "a long matrix must list every pair",
                source=src,
            )
        return cls(ids=order, minutes=m, startup_minutes=startup)

    @classmethod
    def _from_wide(cls, rows: list[list[str]], src: str, startup: float) -> MatrixTravel:
        cols = [c.strip() for c in rows[0][1:]]
        if not cols:
            raise InputError(
                "header must be 'origin,destination,minutes' or 'id,<id1>,<id2>,...'",
                source=src,
                line=1,
            )
        body = [r for r in rows[1:] if r and any(c.strip() for c in r)]
        order = tuple(r[0].strip() for r in body)
        if order != tuple(cols):
            raise InputError(
                "row ids must repeat the header ids in the same order", source=src, line=1
            )
        m = np.empty((len(cols), len(cols)))
        for i, row in enumerate(body):
            line = i + 2
            if len(row) != len(cols) + 1:
                raise InputError(
                    f"expected {len(cols) + 1} cells, got {len(row)}", source=src, line=line
                )
            for j, cell in enumerate(row[1:]):
                m[i, j] = _minutes(cell, src, line, cols[j])
        return cls(ids=order, minutes=m, startup_minutes=startup)


def _minutes(cell: str, src: str, line: int, field_name: str) -> float:
    try:
        v = float(cell)
    except ValueError:
        raise InputError(
            f"not a number of minutes: {cell!r}", source=src, line=line, field=field_name
        ) from None
    if not math.isfinite(v) or v < 0:
        raise InputError(
            f"minutes must be finite and >= 0, got {cell!r}",
            source=src,
            line=line,
            field=field_name,
        )
    return v


@dataclass(frozen=True)
class OsrmTravel:
    """Travel minutes from an OSRM ``/table`` service.

    Calls ``{url}/table/v1/{profile}/{lon,lat;...}?sources=..&destinations=..
    &annotations=duration`` in blocks of at most ``block`` origins and
    destinations (OSRM's default ``--max-table-size`` is 100), and converts
    seconds to minutes. Unreachable pairs (``null``) raise an error.

    Parameters
    ----------
    url
        Base URL, e.g. ``http://localhost:5000``.
    profile
        OSRM profile, default ``driving``.
    startup_minutes
        Added to every duration (dispatch plus turnout).
    block
        Largest number of sources or destinations per request.
    timeout
        Seconds per HTTP request.
    """

    url: str
    profile: str = "driving"
    startup_minutes: float = DEFAULT_STARTUP_MINUTES
    block: int = 50
    timeout: float = 30.0

    def _get(self, coords: list[tuple[float, float]], n_src: int) -> FloatArray:
        path = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in coords)
        src = ";".join(str(i) for i in range(n_src))
        dst = ";".join(str(i) for i in range(n_src, len(coords)))
        query = urllib.parse.urlencode(
            {"sources": src, "destinations": dst, "annotations": "duration"}, safe=";"
        )
        full = f"{self.url.rstrip('/')}/table/v1/{self.profile}/{path}?{query}"
        if not full.startswith(("http://", "https://")):
            raise InputError(f"OSRM URL must start with http:// or https://: {self.url!r}")
        with urllib.request.urlopen(full, timeout=self.timeout) as resp:  # noqa: S310
            body = json.loads(resp.read().decode("utf-8"))
        if body.get("code") != "Ok":
            raise InputError(f"OSRM answered {body.get('code')!r}: {body.get('message', '')}")
        durations = body["durations"]
        if any(v is None for row in durations for v in row):
            raise InputError("OSRM found no route between some points; check coordinates")
        return np.asarray(durations, dtype=np.float64) / 60.0

    def matrix(self, origins: Locations, destinations: Locations) -> FloatArray:
        """Minutes from each origin to each destination, by road."""
        out = np.empty((len(origins), len(destinations)))
        o_pts = list(zip(origins.lat.tolist(), origins.lon.tolist(), strict=True))
        d_pts = list(zip(destinations.lat.tolist(), destinations.lon.tolist(), strict=True))
        for i in range(0, len(o_pts), self.block):
            for j in range(0, len(d_pts), self.block):
                oi = o_pts[i : i + self.block]
                dj = d_pts[j : j + self.block]
                out[i : i + len(oi), j : j + len(dj)] = self._get(oi + dj, len(oi))
        res: FloatArray = out + self.startup_minutes
        return res


def travel_model_from_spec(spec: str) -> TravelTimeModel:
    """Build a model from the CLI's ``--travel`` value.

    ``haversine`` (default), ``osrm:URL`` or ``matrix:FILE``.
    """
    if spec == "haversine":
        return HaversineTravel()
    if spec.startswith("osrm:"):
        return OsrmTravel(url=spec[len("osrm:") :])
    if spec.startswith("matrix:"):
        path = Path(spec[len("matrix:") :])
        if not path.is_file():
            raise InputError(f"travel matrix file not found: {path}")
        return MatrixTravel.from_csv(path)
    raise InputError(
        f"unknown --travel {spec!r}; use haversine, osrm:URL or matrix:FILE", field="--travel"
    )
