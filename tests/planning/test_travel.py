"""Travel-time models: haversine defaults, CSV matrices, an OSRM /table fake."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from planning.domain import InputError, Locations
from planning.travel import (
    HaversineTravel,
    MatrixTravel,
    OsrmTravel,
    TravelTimeModel,
    great_circle_km,
    travel_model_from_spec,
)


def _pts(*coords: tuple[float, float]) -> Locations:
    return Locations(
        ids=tuple(f"p{i}" for i in range(len(coords))),
        lat=np.array([c[0] for c in coords]),
        lon=np.array([c[1] for c in coords]),
    )


def test_one_degree_of_latitude_is_111_km() -> None:
    d = great_circle_km(np.float64(38.0), np.float64(-85.0), np.float64(39.0), np.float64(-85.0))
    assert float(d) == pytest.approx(111.195, abs=0.01)


def test_haversine_defaults_and_formula() -> None:
    model = HaversineTravel()
    assert isinstance(model, TravelTimeModel)
    assert (model.circuity, model.speed_mph, model.startup_minutes) == (1.3, 30.0, 1.5)
    pts = _pts((38.0, -85.0), (39.0, -85.0), (38.0, -85.5))
    m = model.matrix(pts, pts)
    assert m.shape == (3, 3)
    np.testing.assert_allclose(np.diag(m), 1.5)
    # 111.195 km * 1.3 / (30 mph = 48.28 km/h) * 60 + 1.5
    assert m[0, 1] == pytest.approx(1.5 + 111.195 * 1.3 / 48.28032 * 60, rel=1e-4)
    np.testing.assert_allclose(m, m.T)
    sub = model.matrix(pts.take([0]), pts)
    np.testing.assert_allclose(sub, m[:1])


def test_matrix_csv_long_and_wide(tmp_path: Path) -> None:
    long = tmp_path / "long.csv"
    long.write_text("origin,destination,minutes\na,b,3\nb,a,4\na,a,0\nb,b,0\n")
    wide = tmp_path / "wide.csv"
    wide.write_text("id,a,b\na,0,3\nb,4,0\n")
    for path in (long, wide):
        model = MatrixTravel.from_csv(path)
        pts = Locations(ids=("b", "a"), lat=np.zeros(2), lon=np.zeros(2))
        np.testing.assert_allclose(model.matrix(pts, pts), [[0, 4], [3, 0]])


def test_matrix_csv_errors_name_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,a,b\na,0,x\nb,4,0\n")
    with pytest.raises(InputError, match=r"line 2, field 'b': not a number"):
        MatrixTravel.from_csv(bad)
    holes = tmp_path / "holes.csv"
    holes.write_text("origin,destination,minutes\na,b,3\n")
    with pytest.raises(InputError, match="must list every pair"):
        MatrixTravel.from_csv(holes)
    good = tmp_path / "good.csv"
    good.write_text("id,a\na,0\n")
    with pytest.raises(InputError, match="not in the travel matrix"):
        MatrixTravel.from_csv(good).matrix(_pts((0, 0)), _pts((0, 0)))


class _Osrm(BaseHTTPRequestHandler):
    calls: list[str] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        _Osrm.calls.append(self.path)
        coords = url.path.split("/")[-1].split(";")
        q = parse_qs(url.query)
        src = [int(i) for i in q["sources"][0].split(";")]
        dst = [int(i) for i in q["destinations"][0].split(";")]
        pts = [tuple(map(float, c.split(","))) for c in coords]
        # fake: 60 s per degree of |dlon| + |dlat|
        dur = [
            [60.0 * (abs(pts[s][0] - pts[d][0]) + abs(pts[s][1] - pts[d][1])) for d in dst]
            for s in src
        ]
        body = json.dumps({"code": "Ok", "durations": dur}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture()
def osrm_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Osrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Osrm.calls = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_osrm_table_in_blocks(osrm_url: str) -> None:
    pts = _pts((38.0, -85.0), (38.5, -85.0), (38.0, -86.0))
    model = travel_model_from_spec(f"osrm:{osrm_url}")
    assert isinstance(model, OsrmTravel)
    small = OsrmTravel(url=osrm_url, block=2, startup_minutes=1.0)
    m = small.matrix(pts, pts)
    np.testing.assert_allclose(m, [[1, 1.5, 2], [1.5, 1, 2.5], [2, 2.5, 1]])
    assert len(_Osrm.calls) == 4  # 2 x 2 blocks
    assert "/table/v1/driving/" in _Osrm.calls[0]


def test_travel_spec_errors() -> None:
    with pytest.raises(InputError, match="haversine, osrm:URL or matrix:FILE"):
        travel_model_from_spec("bus")
    with pytest.raises(InputError, match="not found"):
        travel_model_from_spec("matrix:/nonexistent/file.csv")
