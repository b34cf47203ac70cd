r"""M/M/N building blocks, computed in log space.

With ``a = lambda / mu`` Erlangs offered to ``N`` servers and
``rho = a / N < 1``, the infinite-line M/M/N queue has

.. math::

    P_k = P_0 \frac{a^k}{k!}\ (k < N), \qquad
    P_0^{-1} = \sum_{k=0}^{N-1} \frac{a^k}{k!} + \frac{a^N}{N!\,(1-\rho)},

and an arriving call waits with probability (Erlang C)
:math:`C = P_0 a^N / (N! (1-\rho))`. The factorials overflow a float above
``N`` of about 170, so everything here works with logarithms and
:func:`scipy.special.logsumexp`.

References
----------
Larson, R.C. and Odoni, A.R. (1981). *Urban Operations Research*, §4.4 and
§5.5 (eq. 5.48). Prentice-Hall.

Larson, R.C. (1975). Approximating the performance of urban emergency service
systems. *Operations Research* 23(5), 845-868.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln, logsumexp

from planning.response.system import FloatArray

__all__ = [
    "erlang_c",
    "log_correction_factors",
    "log_erlang_loss_levels",
    "log_mmn_levels",
]


def _check(n_units: int, offered_load: float) -> None:
    if n_units < 1:
        raise ValueError(f"n_units: must be >= 1, got {n_units}")
    if not (offered_load > 0 and math.isfinite(offered_load)):
        raise ValueError(f"offered_load: must be positive and finite, got {offered_load}")


def log_mmn_levels(*, n_units: int, offered_load: float) -> tuple[FloatArray, float]:
    """Log-probabilities of the M/M/N infinite-line queue.

    Parameters
    ----------
    n_units
        Number of servers ``N``.
    offered_load
        ``a = lambda / mu`` in Erlangs; must be below ``N``.

    Returns
    -------
    log_p : ndarray, shape (N,)
        ``log P_k`` for ``k = 0..N-1`` busy servers (nobody waiting).
    log_wait : float
        ``log C``, the log-probability that all ``N`` are busy (Erlang C),
        which by PASTA is the probability that a call waits.

    Raises
    ------
    ValueError
        If ``offered_load >= n_units`` (unstable queue) or is not positive.

    Examples
    --------
    >>> import numpy as np
    >>> log_p, log_wait = log_mmn_levels(n_units=3, offered_load=1.5)
    >>> round(float(np.exp(log_p[0])), 5), round(float(np.exp(log_wait)), 5)
    (0.21053, 0.23684)
    """
    _check(n_units, offered_load)
    rho = offered_load / n_units
    if rho >= 1.0:
        raise ValueError(
            f"offered_load: {offered_load:.6g} Erlangs >= {n_units} units; the queue is unstable"
        )
    k = np.arange(n_units + 1, dtype=np.float64)
    log_terms = k * math.log(offered_load) - gammaln(k + 1.0)
    log_terms[n_units] -= math.log1p(-rho)
    log_norm = float(logsumexp(log_terms))
    log_p = np.asarray(log_terms[:n_units] - log_norm, dtype=np.float64)
    return log_p, float(log_terms[n_units] - log_norm)


def erlang_c(*, n_units: int, offered_load: float) -> float:
    """Probability that a call waits in an M/M/N queue (Erlang C).

    Parameters
    ----------
    n_units
        Number of servers ``N``.
    offered_load
        ``lambda / mu`` in Erlangs, below ``N``.

    Returns
    -------
    float

    Examples
    --------
    >>> round(erlang_c(n_units=3, offered_load=1.5), 5)
    0.23684
    """
    return math.exp(log_mmn_levels(n_units=n_units, offered_load=offered_load)[1])


def log_erlang_loss_levels(*, n_units: int, offered_load: float) -> FloatArray:
    """Log-probabilities of ``k`` busy servers, ``k = 0..N``, in M/M/N/N (Erlang loss).

    The zero-line hypercube's busy-count process is this birth-death chain
    exactly, whatever the dispatch rule, so these are the level totals of its
    ``2^N`` state probabilities.

    Parameters
    ----------
    n_units
        Number of servers ``N``.
    offered_load
        ``lambda / mu`` in Erlangs (any positive value).

    Returns
    -------
    ndarray, shape (N + 1,)
    """
    _check(n_units, offered_load)
    k = np.arange(n_units + 1, dtype=np.float64)
    log_terms = k * math.log(offered_load) - gammaln(k + 1.0)
    return np.asarray(log_terms - logsumexp(log_terms), dtype=np.float64)


def log_correction_factors(*, n_units: int, offered_load: float) -> FloatArray:
    r"""Larson's correction factors ``log Q(N, rho, j)``, ``j = 0..N-1``.

    ``Q(N, rho, j) rho^j (1 - rho)`` is the exact M/M/N probability that ``j``
    named servers are busy and another named one is free, if busy servers
    were a random subset of the given size (Larson 1975; Larson & Odoni 1981,
    eq. 5.48):

    .. math::

        Q(N,\rho,j) = \sum_{k=j}^{N-1}
            \frac{P_k \binom{N-j-1}{k-j}}{\binom{N}{k}\,\rho^j (1-\rho)}
        = \sum_{k=j}^{N-1} \frac{(N-j-1)!\,(N-k)}{(k-j)!}
            \frac{N^k \rho^{k-j}}{N!} \frac{P_0}{1-\rho}.

    With ``a = N rho`` the inner sum is
    ``N^j T(N-1-j)``, ``T(M) = sum_{i<=M} sum_{m<=i} a^m / m!``, two running
    sums evaluated with ``logaddexp.accumulate`` in ``O(N)``.

    Parameters
    ----------
    n_units
        Number of servers ``N``.
    offered_load
        ``lambda / mu`` in Erlangs, below ``N``.

    Returns
    -------
    ndarray, shape (N,)
        ``log Q``; ``Q`` itself can exceed the float range for large ``N``.

    Examples
    --------
    Larson & Odoni §5.5.3, ``N = 3``, ``rho = 1/2``:

    >>> import numpy as np
    >>> np.round(np.exp(log_correction_factors(n_units=3, offered_load=1.5)), 5).tolist()
    [1.0, 0.73684, 0.63158]
    """
    log_p, _ = log_mmn_levels(n_units=n_units, offered_load=offered_load)
    n = n_units
    rho = offered_load / n
    # Q_j = (N-j-1)! N^j T(N-1-j) P_0 / (N! (1 - rho)) with
    # T(M) = sum_{m<=M} (M+1-m) a^m/m! = sum_{i<=M} E(i), E(i) = sum_{m<=i} a^m/m!,
    # so both partial sums are running log-sum-exps: O(N) instead of O(N^2).
    m = np.arange(n, dtype=np.float64)
    log_e = np.logaddexp.accumulate(m * math.log(offered_load) - gammaln(m + 1.0))
    log_t = np.logaddexp.accumulate(log_e)
    j = np.arange(n, dtype=np.float64)
    out = (
        gammaln(n - j)
        + j * math.log(n)
        + log_t[::-1]
        + log_p[0]
        - gammaln(n + 1.0)
        - math.log1p(-rho)
    )
    return np.asarray(out, dtype=np.float64)
