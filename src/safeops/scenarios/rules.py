"""Who reaches planning scenarios (registered in apps.py)."""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def scenario_rules(rules: RuleTable) -> None:
    """District security staff run planning scenarios; adopting one changes zones (chief only)."""
    for role in (Role.SECURITY_CHIEF, Role.DISPATCHER):
        rules[(role, Resource.SCENARIO, Action.VIEW)] = Reach.ALL
        rules[(role, Resource.SCENARIO, Action.CHANGE)] = Reach.ALL
