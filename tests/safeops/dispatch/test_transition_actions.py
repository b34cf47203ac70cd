"""The action classes (services/actions.py) form the documented lifecycle, no more, no less."""

from __future__ import annotations

import re
from pathlib import Path

from safeops.dispatch.choices import TRANSITIONS, Status
from safeops.dispatch.services.actions import ACTIONS, Transition, transition_table

DOC = Path(__file__).resolve().parents[3] / "docs/dispatch.md"


def _documented_lifecycle() -> dict[Status, frozenset[Status]]:
    """The table in docs/dispatch.md, section "Lifecycle" (`a, b → c | d`; `x, y: final`)."""
    section = DOC.read_text().split("## Lifecycle", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    table: dict[Status, frozenset[Status]] = {}
    for line in block.group(1).strip().splitlines():
        if line.endswith(": final"):
            sources, targets = line.removesuffix(": final"), ""
        else:
            sources, targets = line.split("→")
        for source in sources.split(","):
            table[Status(source.strip())] = frozenset(
                Status(t.strip()) for t in targets.split("|") if t.strip()
            )
    return table


def test_each_action_class_declares_its_target_and_from_states() -> None:
    for target, action in ACTIONS.items():
        assert issubclass(action, Transition)
        assert "target" in vars(action) and action.target == target
        assert "from_states" in vars(action) and action.from_states, action.__name__
    assert set(ACTIONS) == set(Status) - {Status.NEW}


def test_the_action_classes_form_the_documented_lifecycle() -> None:
    documented = _documented_lifecycle()
    assert set(documented) == set(Status)
    assert transition_table() == documented
    assert transition_table() == TRANSITIONS
