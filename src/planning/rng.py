"""One place that turns a ``seed`` argument into a NumPy random generator.

Every stochastic routine of :mod:`planning` takes ``seed: int | Generator | None``
and calls :func:`as_generator` once, so a run is reproducible from one integer
and a caller may also thread a single generator through several routines
(the networkx ``py_random_state`` idea, without the decorator).
"""

from __future__ import annotations

import numpy as np

__all__ = ["SeedLike", "as_generator"]

SeedLike = int | np.random.Generator | None
"""What a ``seed`` parameter accepts."""


def as_generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """Return a NumPy :class:`~numpy.random.Generator` for ``seed``.

    Parameters
    ----------
    seed
        ``None`` for fresh OS entropy (not reproducible); a non-negative ``int``
        for a reproducible PCG64 stream; or an existing ``Generator``, returned
        unchanged so that the caller's stream advances.

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    TypeError
        If ``seed`` is of another type (``bool`` and ``float`` are refused so a
        typo such as ``seed=True`` or ``seed=0.5`` does not pass silently).
    ValueError
        If ``seed`` is a negative integer.

    Examples
    --------
    >>> a = as_generator(7).random()
    >>> b = as_generator(7).random()
    >>> a == b
    True
    >>> g = as_generator(7)
    >>> as_generator(g) is g
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed: expected int, numpy.random.Generator or None, got {seed!r}")
    if seed < 0:
        raise ValueError(f"seed: must be non-negative, got {seed}")
    return np.random.default_rng(int(seed))
