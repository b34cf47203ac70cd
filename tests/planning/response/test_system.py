"""ResponseSystem validation and construction from zones."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from planning.response import ResponseSystem

LAM = np.array([0.01, 0.02, 0.03])
TRAVEL = np.array([[2.0, 6.0, 9.0], [7.0, 3.0, 4.0]])
PREF = np.array([[0, 1], [1, 0], [1, 0]])


def make(**overrides: object) -> ResponseSystem:
    fields: dict[str, object] = {
        "arrival_rate": LAM,
        "travel_minutes": TRAVEL,
        "preference": PREF,
        "mean_service_minutes": 30.0,
    }
    fields.update(overrides)
    return ResponseSystem(**fields)  # type: ignore[arg-type]


def test_valid_system_properties() -> None:
    system = make()
    assert (system.n_units, system.n_atoms) == (2, 3)
    assert system.total_arrival_rate == pytest.approx(0.06)
    assert system.offered_load == pytest.approx(1.8)
    assert system.utilisation == pytest.approx(0.9)
    assert system.service_rate == pytest.approx(1 / 30)
    assert system.preference.dtype == np.int64


def test_arrays_are_copied_and_read_only() -> None:
    lam = LAM.copy()
    system = make(arrival_rate=lam)
    lam[0] = 99.0
    assert system.arrival_rate[0] == 0.01
    with pytest.raises(ValueError, match="read-only"):
        system.arrival_rate[0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        system.mean_service_minutes = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"arrival_rate": [0.01, -0.02, 0.03]}, "arrival_rate"),
        ({"arrival_rate": [0.0, 0.0, 0.0]}, "arrival_rate"),
        ({"arrival_rate": [0.01, np.nan, 0.03]}, "arrival_rate"),
        ({"arrival_rate": [[0.01, 0.02, 0.03]]}, "arrival_rate"),
        ({"arrival_rate": ["a", "b", "c"]}, "arrival_rate"),
        ({"travel_minutes": TRAVEL[:, :2]}, "travel_minutes"),
        ({"travel_minutes": -TRAVEL}, "travel_minutes"),
        ({"travel_minutes": TRAVEL * np.inf}, "travel_minutes"),
        ({"preference": PREF.T}, "preference"),
        ({"preference": np.array([[0, 1], [1, 1], [1, 0]])}, "preference"),
        ({"preference": np.array([[0, 2], [1, 0], [1, 0]])}, "preference"),
        ({"preference": PREF.astype(float)}, "preference"),
        ({"mean_service_minutes": 0.0}, "mean_service_minutes"),
        ({"mean_service_minutes": float("inf")}, "mean_service_minutes"),
        ({"mean_service_minutes": "30"}, "mean_service_minutes"),
    ],
)
def test_invalid_fields_are_named(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}:"):
        make(**overrides)


def test_from_zones_puts_primary_first_then_nearest() -> None:
    travel = np.array([[1.0, 5.0], [3.0, 1.0], [2.0, 2.0], [9.0, 1.0]])
    system = ResponseSystem.from_zones(
        arrival_rate=[0.1, 0.1],
        travel_minutes=travel,
        primary_unit=[3, 2],
        mean_service_minutes=10.0,
    )
    assert system.preference.tolist() == [[3, 0, 2, 1], [2, 1, 3, 0]]


@pytest.mark.parametrize("primary", [[0, 1], [0, 1, 5], [0, -1, 1], [0.0, 1.0, 1.0]])
def test_from_zones_rejects_bad_primary_unit(primary: list[float]) -> None:
    with pytest.raises(ValueError, match=r"^primary_unit:"):
        ResponseSystem.from_zones(
            arrival_rate=LAM,
            travel_minutes=TRAVEL,
            primary_unit=primary,
            mean_service_minutes=30.0,
        )
