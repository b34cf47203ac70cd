"""Input and output records of the response model.

A :class:`ResponseSystem` is Larson's hypercube set-up: ``N`` units (School
Safety Officers, one car each), ``J`` atoms (schools) with Poisson call rates,
a travel-time matrix from each unit's post to each atom, and a fixed dispatch
preference list per atom. A :class:`ResponseResult` holds the performance
measures that every method (exact, approximation, simulation) returns.

References
----------
Larson, R.C. (1974). A hypercube queuing model for facility location and
redistricting in urban emergency services. *Computers & Operations Research*
1(1), 67-95.

Larson, R.C. and Odoni, A.R. (1981). *Urban Operations Research*, ch. 5.
Prentice-Hall. web.mit.edu/urban_or_book.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["FloatArray", "IntArray", "ResponseResult", "ResponseSystem"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _frozen_array(value: Any, *, dtype: type[np.generic], name: str) -> NDArray[Any]:
    try:
        array = np.array(value, dtype=dtype, copy=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: cannot be read as a {np.dtype(dtype).name} array") from exc
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class ResponseSystem:
    r"""A dispatch system of ``N`` units serving ``J`` atoms (schools).

    Calls arrive at atom ``j`` as a Poisson process of rate ``arrival_rate[j]``
    (per minute). A call is sent to the first *free* unit of ``preference[j]``.
    If every unit is busy it joins one first-come-first-served queue (infinite
    line capacity) and is taken by whichever unit frees next; that unit then
    travels from its post. A unit is busy for an exponential time of mean
    ``mean_service_minutes`` (``1/mu``) per call, including travel, as in the
    hypercube model.

    Parameters
    ----------
    arrival_rate
        ``(J,)`` calls per minute at each atom; non-negative, positive total.
    travel_minutes
        ``(N, J)`` travel minutes from unit ``n``'s post to atom ``j``;
        non-negative and finite.
    preference
        ``(J, N)`` dispatch preference; row ``j`` is a permutation of
        ``0..N-1`` and ``preference[j, 0]`` is the primary (own-zone) unit.
    mean_service_minutes
        Mean time a unit is busy per call (``1/mu``); positive and finite.

    Raises
    ------
    ValueError
        If a field has the wrong shape or value; the message names the field.

    Notes
    -----
    Arrays are copied and made read-only, so a system can be shared safely.
    Stability of the queue (``lambda < N mu``) is checked by
    :func:`planning.response.evaluate`, not here.

    Examples
    --------
    >>> import numpy as np
    >>> s = ResponseSystem.from_zones(
    ...     arrival_rate=[0.01, 0.02, 0.01],
    ...     travel_minutes=[[2.0, 6.0, 9.0], [7.0, 3.0, 4.0]],
    ...     primary_unit=[0, 1, 1],
    ...     mean_service_minutes=40.0,
    ... )
    >>> s.preference.tolist()
    [[0, 1], [1, 0], [1, 0]]
    >>> round(s.utilisation, 3)
    0.8
    """

    arrival_rate: FloatArray
    travel_minutes: FloatArray
    preference: IntArray
    mean_service_minutes: float

    def __post_init__(self) -> None:
        lam = _frozen_array(self.arrival_rate, dtype=np.float64, name="arrival_rate")
        travel = _frozen_array(self.travel_minutes, dtype=np.float64, name="travel_minutes")
        pref_raw = np.asarray(self.preference)
        if pref_raw.size and not np.issubdtype(pref_raw.dtype, np.integer):
            raise ValueError(f"preference: must hold integer unit indices, got {pref_raw.dtype}")
        pref = _frozen_array(pref_raw, dtype=np.int64, name="preference")

        if lam.ndim != 1 or lam.size == 0:
            raise ValueError(f"arrival_rate: must be a non-empty 1-D array, got shape {lam.shape}")
        if not np.all(np.isfinite(lam)) or np.any(lam < 0):
            raise ValueError("arrival_rate: must be finite and non-negative")
        if not lam.sum() > 0:
            raise ValueError("arrival_rate: the total must be positive")
        n_atoms = lam.size
        if travel.ndim != 2 or travel.shape[1] != n_atoms or travel.shape[0] == 0:
            raise ValueError(
                f"travel_minutes: must have shape (N, {n_atoms}) with N >= 1, got {travel.shape}"
            )
        if not np.all(np.isfinite(travel)) or np.any(travel < 0):
            raise ValueError("travel_minutes: must be finite and non-negative")
        n_units = travel.shape[0]
        if pref.shape != (n_atoms, n_units):
            raise ValueError(
                f"preference: must have shape ({n_atoms}, {n_units}) = (J, N), got {pref.shape}"
            )
        valid = np.sort(pref, axis=1) == np.arange(n_units)
        bad = np.flatnonzero(~valid.all(axis=1))
        if bad.size:
            raise ValueError(
                f"preference: row {int(bad[0])} is not a permutation of 0..{n_units - 1}"
            )
        service = self.mean_service_minutes
        if isinstance(service, bool) or not isinstance(service, int | float | np.floating):
            raise ValueError(f"mean_service_minutes: must be a number, got {service!r}")
        if not (math.isfinite(service) and service > 0):
            raise ValueError(f"mean_service_minutes: must be positive and finite, got {service}")

        object.__setattr__(self, "arrival_rate", lam)
        object.__setattr__(self, "travel_minutes", travel)
        object.__setattr__(self, "preference", pref)
        object.__setattr__(self, "mean_service_minutes", float(service))

    @classmethod
    def from_zones(
        cls,
        *,
        arrival_rate: ArrayLike,
        travel_minutes: ArrayLike,
        primary_unit: ArrayLike,
        mean_service_minutes: float,
    ) -> ResponseSystem:
        """Build a system whose dispatch is own-zone unit first, then nearest.

        Parameters
        ----------
        arrival_rate
            ``(J,)`` calls per minute at each atom.
        travel_minutes
            ``(N, J)`` travel minutes from each unit's post to each atom.
        primary_unit
            ``(J,)`` index of the unit whose zone holds atom ``j``.
        mean_service_minutes
            Mean busy time per call (``1/mu``).

        Returns
        -------
        ResponseSystem
            ``preference[j]`` = ``primary_unit[j]``, then the other units by
            increasing ``travel_minutes[:, j]`` (ties by unit index).

        Raises
        ------
        ValueError
            If ``primary_unit`` has the wrong shape or an index out of range,
            or any field fails the checks of the class.
        """
        travel = np.asarray(travel_minutes, dtype=np.float64)
        primary = np.asarray(primary_unit)
        if travel.ndim != 2:
            raise ValueError(f"travel_minutes: must be 2-D (N, J), got shape {travel.shape}")
        n_units, n_atoms = travel.shape
        if primary.shape != (n_atoms,) or (
            primary.size and not np.issubdtype(primary.dtype, np.integer)
        ):
            raise ValueError(
                f"primary_unit: must be {n_atoms} integer unit indices, got shape {primary.shape}"
            )
        if np.any(primary < 0) or np.any(primary >= n_units):
            raise ValueError(f"primary_unit: indices must lie in 0..{n_units - 1}")
        key = travel.T.copy()  # (J, N)
        key[np.arange(n_atoms), primary] = -np.inf
        preference = np.argsort(key, axis=1, kind="stable").astype(np.int64)
        return cls(
            arrival_rate=np.asarray(arrival_rate, dtype=np.float64),
            travel_minutes=travel,
            preference=preference,
            mean_service_minutes=mean_service_minutes,
        )

    @property
    def n_units(self) -> int:
        """Number of units ``N``."""
        return int(self.travel_minutes.shape[0])

    @property
    def n_atoms(self) -> int:
        """Number of atoms ``J``."""
        return int(self.arrival_rate.size)

    @property
    def service_rate(self) -> float:
        """Service rate ``mu = 1 / mean_service_minutes`` per minute."""
        return 1.0 / self.mean_service_minutes

    @property
    def total_arrival_rate(self) -> float:
        """Total call rate ``lambda`` per minute."""
        return float(self.arrival_rate.sum())

    @property
    def offered_load(self) -> float:
        """Offered load ``lambda / mu`` in Erlangs (sum of the workloads)."""
        return self.total_arrival_rate * self.mean_service_minutes

    @property
    def utilisation(self) -> float:
        """Mean unit utilisation ``rho = lambda / (N mu)``; the queue is stable iff < 1."""
        return self.offered_load / self.n_units


@dataclass(frozen=True)
class ResponseResult:
    """Performance measures of a :class:`ResponseSystem`.

    Attributes
    ----------
    method
        ``"exact"``, ``"approximation"`` or ``"simulation"``.
    workload
        ``(N,)`` fraction of time each unit is busy (``rho_n``), queue time
        included.
    dispatch_fraction
        ``(N, J)`` fraction of atom ``j``'s calls served by unit ``n``; each
        column sums to 1 (``NaN`` columns in a simulation for atoms that got
        no call).
    p_all_busy
        Probability that a call finds every unit busy and waits (Erlang C for
        the analytic methods).
    mean_travel_minutes
        ``(J,)`` expected travel minutes of atom ``j``'s calls.
    mean_response_minutes
        ``(J,)`` expected queue wait plus travel.
    p90_response_minutes
        ``(J,)`` 90th percentile of wait plus travel.
    cross_zone_fraction
        ``(J,)`` share of atom ``j``'s calls served by a unit other than
        ``preference[j, 0]``.
    mean_response_overall
        Call-weighted mean response over all atoms.
    p90_response_overall
        90th percentile of the call-weighted mixture over all atoms.
    iterations
        Sweeps (exact) or fixed-point steps (approximation); ``None`` for a
        simulation.
    ci95_mean_response
        Simulation only: half-width of the 95% confidence interval of
        ``mean_response_overall`` (batch means).
    """

    method: str
    workload: FloatArray
    dispatch_fraction: FloatArray
    p_all_busy: float
    mean_travel_minutes: FloatArray
    mean_response_minutes: FloatArray
    p90_response_minutes: FloatArray
    cross_zone_fraction: FloatArray
    mean_response_overall: float
    p90_response_overall: float
    iterations: int | None = None
    ci95_mean_response: float | None = None
