"""Response-time model of School Safety Officer dispatch (hypercube queueing).

Public API::

    from planning.response import ResponseSystem, ResponseResult, evaluate

:func:`evaluate` chooses between the exact hypercube model
(:mod:`~planning.response.hypercube`, Larson 1974), Larson's (1975)
approximation (:mod:`~planning.response.approximation`) and a discrete-event
simulation (:mod:`~planning.response.simulation`) of the same system.
Response-time quantiles of the analytic models come from
:mod:`~planning.response.distribution`. See ``docs/planning-response.md``.

This package is plain Python (NumPy, SciPy); it never imports Django or
``safeops``.
"""

from planning.response.approximation import solve_approximation
from planning.response.evaluation import AUTO_EXACT_MAX_UNITS, evaluate
from planning.response.exceptions import ConvergenceError
from planning.response.hypercube import MAX_EXACT_UNITS, solve_exact, state_probabilities
from planning.response.simulation import simulate
from planning.response.system import ResponseResult, ResponseSystem

__all__ = [
    "AUTO_EXACT_MAX_UNITS",
    "MAX_EXACT_UNITS",
    "ConvergenceError",
    "ResponseResult",
    "ResponseSystem",
    "evaluate",
    "simulate",
    "solve_approximation",
    "solve_exact",
    "state_probabilities",
]
