"""Reference systems: the Larson & Odoni worked example and random instances.

Used by the tests, ``bench/response.py`` and the documentation.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from planning.response.system import ResponseSystem
from planning.rng import as_generator

__all__ = ["larson_odoni_example", "random_system"]


def larson_odoni_example() -> ResponseSystem:
    """The three-unit example of Larson & Odoni (1981), §5.4.3-5.5.3.

    Three units, ``lambda = 1.5``, ``mu = 1`` (time in mean service times),
    infinite line. The book's ten atoms are aggregated by preference list
    (units 0-based here, 1-based in the book):

    =============  ==========
    list           rate
    =============  ==========
    (1, 2, 3)      0.50
    (1, 3, 2)      0.25
    (2, 1, 3)      0.35
    (3, 1, 2)      0.40
    =============  ==========

    This split is a reconstruction (planning-anchors.md §1.1: the book's
    Fig. 5.11 rates were not readable); it reproduces the published exact
    workloads 0.5574 / 0.4734 / 0.4693 to 4 d.p. State probabilities, workloads
    and dispatch shares depend only on the lists and rates. The travel times
    (own unit 0.1, first backup 0.2, second 0.3 mean service times) are
    illustrative, not from the book.

    Returns
    -------
    ResponseSystem

    References
    ----------
    Larson, R.C. and Odoni, A.R. (1981). *Urban Operations Research*,
    §5.4.3, §5.4.4 (eq. 5.30) and §5.5.3. Prentice-Hall.
    """
    preference = np.array([[0, 1, 2], [0, 2, 1], [1, 0, 2], [2, 0, 1]], dtype=np.int64)
    rank_travel = np.array([0.1, 0.2, 0.3])
    travel = np.empty((3, 4))
    for j, row in enumerate(preference):
        travel[row, j] = rank_travel
    return ResponseSystem(
        arrival_rate=np.array([0.50, 0.25, 0.35, 0.40]),
        travel_minutes=travel,
        preference=preference,
        mean_service_minutes=1.0,
    )


def random_system(
    *,
    n_units: int,
    n_atoms: int,
    utilisation: float,
    seed: int | np.random.Generator | None = None,
    posts: Literal["schools", "uniform"] = "schools",
    mean_service_minutes: float = 40.0,
    side_km: float = 20.0,
    speed_km_per_min: float = 0.5,
    startup_minutes: float = 1.5,
) -> ResponseSystem:
    """A random district: posts and schools uniform in a square.

    Units are posted at ``n_units`` of the schools (chosen at random) or,
    with ``posts="uniform"``, at uniform random points; each school's
    primary unit is the nearest post, the backup order is by travel
    time (:meth:`ResponseSystem.from_zones`), call rates are Gamma(2)
    weights scaled to the target utilisation, and travel is
    ``startup + distance / speed``. The defaults (40 min busy per call, 30 km/h
    in a 20 km square) roughly match an SSO district.

    Parameters
    ----------
    n_units, n_atoms
        ``N`` and ``J``; ``n_atoms >= n_units``.
    utilisation
        Target ``lambda / (N mu)``.
    seed
        Random seed or generator (:func:`planning.rng.as_generator`).
    posts
        ``"schools"`` or ``"uniform"`` (see above).
    mean_service_minutes, side_km, speed_km_per_min, startup_minutes
        Scale parameters.

    Returns
    -------
    ResponseSystem
    """
    if n_atoms < n_units:
        raise ValueError(f"n_atoms: must be >= n_units ({n_units}), got {n_atoms}")
    rng = as_generator(seed)
    atoms = rng.uniform(0.0, side_km, size=(n_atoms, 2))
    if posts == "schools":
        where = atoms[rng.choice(n_atoms, size=n_units, replace=False)]
    elif posts == "uniform":
        where = rng.uniform(0.0, side_km, size=(n_units, 2))
    else:
        raise ValueError(f"posts: expected 'schools' or 'uniform', got {posts!r}")
    distance = np.linalg.norm(where[:, None, :] - atoms[None, :, :], axis=2)
    travel = startup_minutes + distance / speed_km_per_min
    weight = rng.gamma(2.0, 1.0, size=n_atoms)
    rate = weight / weight.sum() * utilisation * n_units / mean_service_minutes
    return ResponseSystem.from_zones(
        arrival_rate=rate,
        travel_minutes=travel,
        primary_unit=np.argmin(travel, axis=0),
        mean_service_minutes=mean_service_minutes,
    )
