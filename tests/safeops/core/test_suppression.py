"""Small-cell suppression: a count under 10 is never shown, nor derivable from a total."""

from __future__ import annotations

from safeops.core.suppression import SUPPRESSED, is_shown, shown, suppress_row


def test_counts_under_ten_are_never_shown() -> None:
    assert [shown(n) for n in (0, 1, 9, 10, 11)] == [0, SUPPRESSED, SUPPRESSED, 10, 11]
    assert not is_shown(5) and is_shown(10)


def test_a_lone_hidden_cell_is_protected_from_subtraction() -> None:
    cells = {c.key: c.value for c in suppress_row({"a": 40, "b": 3, "c": 25})}
    assert cells == {"a": 40, "b": SUPPRESSED, "c": SUPPRESSED}
    no_total = {c.key: c.value for c in suppress_row({"a": 40, "b": 3}, total_shown=False)}
    assert no_total == {"a": 40, "b": SUPPRESSED}


def test_rates_follow_their_counts() -> None:
    cells = {
        c.key: c.rate
        for c in suppress_row(
            {"a": 20, "b": 12, "c": 4, "d": 30},
            denominators={"a": 1000, "b": 5, "c": 300, "d": 0},
        )
    }
    assert cells["a"] == 20.0
    assert cells["b"] == SUPPRESSED  # a denominator under 10 is hidden too
    assert cells["c"] == SUPPRESSED
    assert cells["d"] is None  # unknown enrollment: no rate
