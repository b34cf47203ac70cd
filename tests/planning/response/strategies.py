"""Hypothesis strategies and small helpers shared by the response tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from planning.response import ResponseSystem


@st.composite
def systems(
    draw: st.DrawFn,
    *,
    max_units: int = 6,
    max_atoms: int = 8,
    min_utilisation: float = 0.05,
    max_utilisation: float = 0.95,
) -> ResponseSystem:
    """A random stable system: N <= max_units, arbitrary preference lists."""
    n_units = draw(st.integers(1, max_units))
    n_atoms = draw(st.integers(1, max_atoms))
    weights = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=n_atoms, max_size=n_atoms)))
    if weights.sum() <= 1e-6:
        weights = weights + 1.0
    utilisation = draw(st.floats(min_utilisation, max_utilisation))
    service = draw(st.floats(0.5, 60.0))
    rate = weights / weights.sum() * utilisation * n_units / service
    travel = np.array(
        draw(st.lists(st.floats(0.0, 30.0), min_size=n_units * n_atoms, max_size=n_units * n_atoms))
    ).reshape(n_units, n_atoms)
    preference = np.array(
        [draw(st.permutations(range(n_units))) for _ in range(n_atoms)], dtype=np.int64
    ).reshape(n_atoms, n_units)
    return ResponseSystem(
        arrival_rate=rate,
        travel_minutes=travel,
        preference=preference,
        mean_service_minutes=service,
    )


def scaled(system: ResponseSystem, factor: float) -> ResponseSystem:
    """The same system with every call rate multiplied by ``factor``."""
    return ResponseSystem(
        arrival_rate=system.arrival_rate * factor,
        travel_minutes=system.travel_minutes,
        preference=system.preference,
        mean_service_minutes=system.mean_service_minutes,
    )
