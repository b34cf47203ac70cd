"""The percent filter never rounds a share up to a target it misses."""

from __future__ import annotations

import math

from safeops.core.templatetags.numbers import percent


def test_a_share_just_below_a_target_never_reads_as_the_target() -> None:
    assert percent(0.8996) == "89.9%"
    assert percent(0.9) == "90.0%"
    assert percent(0.897) == "89.7%"


def test_missing_shares_read_a_dash() -> None:
    assert percent(None) == "—"
    assert percent(math.nan) == "—"
