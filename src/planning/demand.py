r"""Expected calls per school day, and the busy time per call.

Default demand
--------------
A school's expected calls (police runs) per school day are

.. math:: \lambda_j = \max\bigl(\lambda_{\min},\; r_{\ell(j)}\, e_j / 1000\bigr)

where :math:`e_j` is the enrollment, :math:`\ell(j)` the level and
:math:`r_\ell` the rate per 1,000 students in :data:`CALLS_PER_1000_STUDENTS`.

Calibration (documented in ``docs/planning.md``):

* **Volume.** JCPS police made more than 2,700 runs to schools in the first six
  weeks of 2024-25 (LPM, 2 Dec 2024, in ``kentucky-facts.md`` section 5), about
  30 school days, so about 90 runs per school day over 97,057 students
  (KYRC24 membership incl. preschool).
* **Mix by level.** Relative rates per student follow the 2023-24 "Total
  Assault Or Weapons" counts per enrolled student by level in JCPS
  (``JCPS_Merged_Data.csv``, KY School Report Card): elementary 6.3, middle
  38.5, high 21.1 per 1,000 students, so middle = 6.1 x and high = 3.4 x
  elementary. Combined 6-12/K-12 schools take 4.5 x (between middle and high;
  the three JCPS ones are too few to measure), alternative programs 4.4 x
  (27.6 per 1,000, measured), special programs the same as alternative (their
  own figure rests on 194 students), early-childhood centres 0.5 x
  (assumption).
* **Scale.** Scaling those relative rates so the JCPS file totals 90 runs per
  day gives 0.33 runs per 1,000 elementary students per day; the table holds
  the products, rounded. :func:`calibrate` recomputes the scale for any
  district total.

Schools without an enrollment use :data:`TYPICAL_ENROLLMENT` for their level
(JCPS 2023-24 medians); every site gets at least :data:`MIN_CALLS_PER_DAY`.

Busy time and day length
------------------------
:data:`DEFAULT_MEAN_SERVICE_MINUTES` = 45 is the mean time an SSO is busy per
call (travel, on scene, report). **Assumption to calibrate** with JCPS CAD
data; US patrol studies put time on scene for non-emergency calls around half
an hour, and the report adds more. :data:`SCHOOL_DAY_MINUTES` = 540 spans the
JCPS bell schedule (first start 7:30 a.m., last dismissal 4:20 p.m.,
``JCPS_Merged_Data.csv``) with a short margin either side; calls per day are
spread evenly over it to give per-minute arrival rates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = [
    "CALLS_PER_1000_STUDENTS",
    "DEFAULT_MEAN_SERVICE_MINUTES",
    "JCPS_RUNS_PER_DAY",
    "MIN_CALLS_PER_DAY",
    "RELATIVE_RATE",
    "SCHOOL_DAY_MINUTES",
    "TYPICAL_ENROLLMENT",
    "calibrate",
    "default_calls_per_day",
    "per_minute",
]

JCPS_RUNS_PER_DAY = 90.0
"""> 2,700 runs in the first six weeks (~30 school days) of 2024-25."""

RELATIVE_RATE: Mapping[str, float] = {
    "elementary": 1.0,
    "middle": 6.1,
    "high": 3.4,
    "combined": 4.5,
    "alternative": 4.4,
    "special_program": 4.4,
    "early_childhood": 0.5,
}
"""Calls per student relative to elementary (KYRC24 assault-or-weapons rates)."""

CALLS_PER_1000_STUDENTS: Mapping[str, float] = {
    "elementary": 0.33,
    "middle": 2.00,
    "high": 1.12,
    "combined": 1.48,
    "alternative": 1.44,
    "special_program": 1.44,
    "early_childhood": 0.16,
}
"""Expected calls per school day per 1,000 students, by level (calibrated to JCPS)."""

OTHER_LEVEL_RATE = 1.0
"""Calls per day per 1,000 students for a level not in the table (district mean ~0.93)."""

TYPICAL_ENROLLMENT: Mapping[str, int] = {
    "elementary": 502,
    "middle": 710,
    "high": 1398,
    "combined": 941,
    "alternative": 384,
    "special_program": 34,
    "early_childhood": 218,
}
"""Median JCPS 2023-24 enrollment by level, used when a school has none."""

MIN_CALLS_PER_DAY = 0.02
"""Floor: about one call per ten school weeks, so no site weighs zero."""

DEFAULT_MEAN_SERVICE_MINUTES = 45.0
"""Mean busy minutes per call (assumption to calibrate with CAD data)."""

SCHOOL_DAY_MINUTES = 540.0
"""Minutes per school day over which calls arrive (7:15 a.m. to 4:15 p.m.)."""


def default_calls_per_day(
    *, level: str, enrollment: int | None, rates: Mapping[str, float] | None = None
) -> float:
    """Expected calls per school day for one school (see module docstring).

    Parameters
    ----------
    level
        School level; unknown levels use :data:`OTHER_LEVEL_RATE`.
    enrollment
        Students, or ``None`` to use :data:`TYPICAL_ENROLLMENT`.
    rates
        Calls per day per 1,000 students by level; default
        :data:`CALLS_PER_1000_STUDENTS`.

    Examples
    --------
    >>> round(default_calls_per_day(level="high", enrollment=1500), 2)
    1.68
    """
    table = CALLS_PER_1000_STUDENTS if rates is None else rates
    students = enrollment if enrollment is not None else TYPICAL_ENROLLMENT.get(level, 500)
    rate = table.get(level, OTHER_LEVEL_RATE)
    return max(MIN_CALLS_PER_DAY, rate * students / 1000.0)


def calibrate(
    *, schools: Iterable[tuple[str, int | None]], runs_per_day: float
) -> dict[str, float]:
    r"""Per-level rates (per 1,000 students) giving ``runs_per_day`` in total.

    .. math:: r_\ell = s\,\rho_\ell,\qquad
              s = \frac{R}{\sum_j \rho_{\ell(j)} e_j / 1000}

    with :math:`\rho` = :data:`RELATIVE_RATE` and :math:`R` the district's runs
    per day. ``schools`` yields ``(level, enrollment)`` pairs.
    """
    total = 0.0
    for level, enrollment in schools:
        students = enrollment if enrollment is not None else TYPICAL_ENROLLMENT.get(level, 500)
        total += RELATIVE_RATE.get(level, 1.0) * students / 1000.0
    if total <= 0:
        raise ValueError("no students to calibrate on")
    scale = runs_per_day / total
    return {level: scale * rho for level, rho in RELATIVE_RATE.items()}


def per_minute(calls_per_day: float) -> float:
    """Arrival rate in calls per minute over a :data:`SCHOOL_DAY_MINUTES` day."""
    return calls_per_day / SCHOOL_DAY_MINUTES
