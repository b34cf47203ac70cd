"""The statistics of the accountability reports, in plain Python (no Django).

- `rate_per_1000`: events per 1,000 enrolled.
- `relative_rate_index`: a group's rate over the reference group's, with a 95% confidence
  interval by the log method: SE(ln RRI) = sqrt(1/a - 1/n1 + 1/c - 1/n2), where a of n1 are the
  group's events and population and c of n2 the reference group's; CI = RRI * exp(+/- 1.96 SE).
- `percentile`: the nearest-rank percentile (the smallest value with at least p% of the values
  at or below it), so p50/p90 are always observed values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PER = 1000
Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile


def rate_per_1000(count: int, enrolled: int) -> float | None:
    """Events per 1,000 enrolled; None when nobody is enrolled (the rate is undefined)."""
    if count < 0 or enrolled < 0:
        raise ValueError(f"a count and an enrollment cannot be negative ({count}, {enrolled})")
    if enrolled == 0:
        return None
    return count * PER / enrolled


@dataclass(frozen=True)
class RelativeRate:
    index: float
    low: float  # the 95% confidence interval
    high: float

    @property
    def significant(self) -> bool:
        """Whether the interval excludes 1 (the group's rate differs from the reference's)."""
        return self.low > 1 or self.high < 1


def relative_rate_index(*, a: int, n1: int, c: int, n2: int) -> RelativeRate | None:
    """The relative rate index of a group (a events among n1) against the reference group
    (c events among n2). None when either rate is zero or a population is empty: the index or
    its log-method interval is then undefined."""
    for name, value in (("a", a), ("n1", n1), ("c", c), ("n2", n2)):
        if value < 0:
            raise ValueError(f"{name} cannot be negative ({value})")
    if a > n1 or c > n2:
        raise ValueError(f"events exceed the population (a={a}, n1={n1}, c={c}, n2={n2})")
    if 0 in (a, c, n1, n2):
        return None
    index = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return RelativeRate(index, index * math.exp(-Z_95 * se), index * math.exp(Z_95 * se))


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank p-th percentile (0 < p <= 100); None for no values."""
    if not 0 < p <= 100:
        raise ValueError(f"a percentile is between 0 (excluded) and 100 ({p})")
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[rank - 1]
